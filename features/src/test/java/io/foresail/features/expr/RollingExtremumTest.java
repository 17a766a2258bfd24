package io.foresail.features.expr;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The O(1) rolling extremum equals a plain scan of the window at every bar: value, first-occurrence
 * position and validity, with ties (values from a small set) and NaN gaps.
 */
class RollingExtremumTest {

    @Property(tries = 200, seed = "42")
    void equalsAWindowScan(@ForAll @IntRange(min = 1, max = 30) int window, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        RollingExtremum highest = new RollingExtremum(window, true);
        RollingExtremum lowest = new RollingExtremum(window, false);
        double[] xs = new double[400];
        int checked = 0;
        for (int t = 0; t < xs.length; t++) {
            xs[t] = r.nextInt(40) == 0 ? Double.NaN : r.nextInt(7);
            highest.push(xs[t]);
            lowest.push(xs[t]);
            boolean full = t >= window - 1;
            boolean clean = full;
            for (int i = Math.max(0, t - window + 1); i <= t && clean; i++) {
                clean = !Double.isNaN(xs[i]);
            }
            assertThat(highest.valid()).as("valid at %d", t).isEqualTo(clean);
            assertThat(lowest.valid()).isEqualTo(clean);
            if (!clean) {
                continue;
            }
            int from = t - window + 1;
            int maxAt = 0;
            int minAt = 0;
            for (int k = 1; k < window; k++) {
                if (xs[from + k] > xs[from + maxAt]) {
                    maxAt = k;
                }
                if (xs[from + k] < xs[from + minAt]) {
                    minAt = k;
                }
            }
            assertThat(highest.extremum()).as("max at %d", t).isEqualTo(xs[from + maxAt]);
            assertThat(highest.position()).as("argmax at %d", t).isEqualTo(maxAt + 1);
            assertThat(lowest.extremum()).as("min at %d", t).isEqualTo(xs[from + minAt]);
            assertThat(lowest.position()).as("argmin at %d", t).isEqualTo(minAt + 1);
            checked++;
        }
        assertThat(checked).isPositive();
    }
}
