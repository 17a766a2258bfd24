package io.foresail.inference;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-symbol windows of the live path: what they copy, and whether a window holds a missing value. */
class FeatureWindowsTest {

    /**
     * Seeded: rows with missing values at random places, the windows' answer against a scan of the
     * window they copy, for every window length, after every row (also once the ring has wrapped).
     */
    @Test
    void aWindowHoldsAMissingValueExactlyWhenItsCopyDoes() {
        int width = 7;
        int capacity = 9;
        FeatureWindows w = new FeatureWindows(width, capacity);
        SplittableRandom r = new SplittableRandom(20261202L);
        int checked = 0;
        int withMissing = 0;
        for (int row = 0; row < 60; row++) {
            double[] values = new double[width];
            for (int k = 0; k < width; k++) {
                values[k] = r.nextInt(12) == 0 ? Double.NaN : r.nextGaussian();
            }
            w.add("AAA", values);
            for (int length = 1; length <= Math.min(capacity, row + 1); length++) {
                float[] copy = new float[length * width];
                w.copy("AAA", length, copy, 0);
                boolean scanned = false;
                for (float v : copy) {
                    scanned |= Float.isNaN(v);
                }
                assertThat(w.anyMissing("AAA", length)).as("row %d, window %d", row, length).isEqualTo(scanned);
                checked++;
                withMissing += scanned ? 1 : 0;
            }
        }
        // Both answers occur, so the comparison above could have failed either way.
        assertThat(withMissing).isBetween(1, checked - 1);
    }

    @Test
    void theNewestRowIsTheWindowsLastAndOlderRowsPrecedeIt() {
        FeatureWindows w = new FeatureWindows(2, 3);
        for (int i = 1; i <= 5; i++) {
            w.add("AAA", new double[] {i, -i});
        }
        float[] copy = new float[2 * 2 + 2];
        w.copy("AAA", 2, copy, 1);
        assertThat(copy).containsExactly(0f, 0f, 4f, -4f, 5f, -5f);
        assertThat(w.seen("AAA")).isEqualTo(5);
    }

    @Test
    void aWindowLongerThanWhatWasSeenOrKeptIsRefused() {
        FeatureWindows w = new FeatureWindows(2, 3);
        w.add("AAA", new double[] {1, 2});
        assertThatThrownBy(() -> w.anyMissing("AAA", 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("from 1 seen");
        assertThatThrownBy(() -> w.copy("AAA", 4, new float[8], 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("capacity 3");
        assertThatThrownBy(() -> w.add("AAA", new double[] {1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AAA");
    }
}
