package io.foresail.features.library;

import io.foresail.features.engine.MutableBarInput;
import io.foresail.features.kernel.FeatureKernel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The money flow index on prices on a cent grid, where many bars have mathematically equal typical
 * prices whose floating-point values differ in the last bit. The reference decides each bar's
 * direction in exact integer cents ((h + l + c) in cents compared with the previous bar's), so a tie
 * is a tie; only the flows are doubles. Ours must agree to 1e-9 at every bar after warm-up.
 */
class MoneyFlowTiesTest {
    private static final int N = 14;

    @Test
    void tiesOnACentGridAreNeitherUpNorDown() {
        SplittableRandom r = new SplittableRandom(2026);
        int bars = 4000;
        long[] hc = new long[bars];
        long[] lc = new long[bars];
        long[] cc = new long[bars];
        double[] v = new double[bars];
        long sum = 30_000;  // h + l + c in cents, around $100
        int ties = 0;
        for (int i = 0; i < bars; i++) {
            // Half the bars keep the previous typical price exactly, with other high/low/close.
            if (i == 0 || r.nextInt(2) == 0) {
                sum += r.nextInt(-30, 31);
            } else {
                ties++;
            }
            long low = sum / 3 - 5 - r.nextInt(20);
            long high = sum / 3 + 5 + r.nextInt(20);
            long close = sum - low - high;
            if (close < low || close > high) {
                close = sum / 3;
                high = sum - low - close;
            }
            hc[i] = high;
            lc[i] = low;
            cc[i] = close;
            v[i] = 1000 + r.nextInt(50_000);
        }
        FeatureKernel k = FeatureLibrary.standard().resolve("tech_mfi_" + N + "_raw").newKernel();
        MutableBarInput in = new MutableBarInput();
        List<String> mismatches = new ArrayList<>();
        int floatTies = 0;
        for (int i = 0; i < bars; i++) {
            double h = hc[i] / 100.0;
            double l = lc[i] / 100.0;
            double c = cc[i] / 100.0;
            in.bar(1_000_000L * i, c, h, l, c, v[i], Double.NaN);
            double ours = k.update(in);
            if (i > 0 && hc[i] + lc[i] + cc[i] == hc[i - 1] + lc[i - 1] + cc[i - 1]
                    && (h + l + c) / 3 != (hc[i - 1] / 100.0 + lc[i - 1] / 100.0 + cc[i - 1] / 100.0) / 3) {
                floatTies++;
            }
            if (i < N) {
                assertThat(ours).as("warm-up at %d", i).isNaN();
                continue;
            }
            double expected = reference(hc, lc, cc, v, i);
            if (!(Math.abs(ours - expected) <= 1e-9 * Math.max(1, Math.abs(expected))) && mismatches.size() < 5) {
                mismatches.add("bar " + i + ": ours " + ours + ", exact " + expected);
            }
        }
        assertThat(ties).as("exact ties in the data").isGreaterThan(bars / 3);
        assertThat(floatTies).as("ties whose floating-point typical prices differ: the case under test").isGreaterThan(100);
        assertThat(mismatches).isEmpty();
    }

    /** MFI at bar {@code t} with directions decided in exact cents. */
    private static double reference(long[] h, long[] l, long[] c, double[] v, int t) {
        double up = 0;
        double down = 0;
        for (int i = t - N + 1; i <= t; i++) {
            long now = h[i] + l[i] + c[i];
            long before = h[i - 1] + l[i - 1] + c[i - 1];
            double flow = (h[i] / 100.0 + l[i] / 100.0 + c[i] / 100.0) / 3 * v[i];
            if (now > before) {
                up += flow;
            } else if (now < before) {
                down += flow;
            }
        }
        return down == 0 ? (up == 0 ? 0.0 : 100.0) : 100 - 100 / (1 + up / down);
    }
}
