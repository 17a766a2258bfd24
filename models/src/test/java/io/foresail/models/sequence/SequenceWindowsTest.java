package io.foresail.models.sequence;

import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FeatureMatrix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Windows over interleaved symbols: each is the last {@code length} bars of the sample's own symbol
 * in time order, ending at the sample, never later; gathering copies exactly those rows.
 */
class SequenceWindowsTest {

    @Property(tries = 100, seed = "42")
    void windowsAreTheSymbolsOwnLastBarsEndingAtTheSample(@ForAll @IntRange(min = 1, max = 7) int symbols,
                                                          @ForAll @IntRange(min = 1, max = 12) int length,
                                                          @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int rows = 300;
        int cols = 3;
        int[] symbol = new int[rows];
        float[] v = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            symbol[i] = r.nextInt(symbols);
            // Each row carries its own index and symbol, so a gathered window shows where it came from.
            v[i * cols] = i;
            v[i * cols + 1] = symbol[i];
            v[i * cols + 2] = (float) r.nextGaussian();
        }
        SequenceWindows w = new SequenceWindows(new FeatureMatrix(v, rows, cols), SequenceWindows.links(symbol, symbols), length);
        int[] samples = java.util.stream.IntStream.range(0, rows).filter(w::complete).toArray();
        FeatureMatrix x = w.windows(samples);
        assertThat(x.rows()).isEqualTo(samples.length * length);
        for (int s = 0; s < samples.length; s++) {
            int sample = samples[s];
            // The expected window: the symbol's rows up to and including the sample, last `length` of them.
            int[] own = java.util.stream.IntStream.rangeClosed(0, sample).filter(i -> symbol[i] == symbol[sample]).toArray();
            assertThat(own.length).isGreaterThanOrEqualTo(length);
            for (int k = 0; k < length; k++) {
                int expectedRow = own[own.length - length + k];
                assertThat((int) x.get(s * length + k, 0)).isEqualTo(expectedRow);
                assertThat((int) x.get(s * length + k, 1)).isEqualTo(symbol[sample]);
                assertThat(x.get(s * length + k, 2)).isEqualTo(v[expectedRow * cols + 2]);
            }
        }
        int[] seen = new int[symbols];
        for (int i = 0; i < rows; i++) {
            seen[symbol[i]]++;
            assertThat(w.complete(i)).as("row %d", i).isEqualTo(seen[symbol[i]] >= length);
        }
    }

    @org.junit.jupiter.api.Test
    void incompleteHistoryAndForwardLinksAreRefused() {
        FeatureMatrix m = new FeatureMatrix(new float[4], 4, 1);
        SequenceWindows w = new SequenceWindows(m, new int[] {-1, 0, 1, 2}, 3);
        assertThatThrownBy(() -> w.rowsOf(1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("fewer than 3 bars");
        assertThatThrownBy(() -> new SequenceWindows(m, new int[] {-1, 2, 1, 2}, 2)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must come earlier");
    }
}
