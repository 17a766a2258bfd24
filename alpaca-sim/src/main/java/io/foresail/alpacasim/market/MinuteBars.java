package io.foresail.alpacasim.market;

import io.foresail.core.market.Bar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Minute bars derived from one stored bar (15 minutes, say), because Alpaca streams minute bars:
 * a seeded path whose aggregation gives back the stored bar. The first minute opens at its open and
 * the last closes at its close; one minute reaches its high and one its low, and no minute goes
 * beyond them; the volumes (whole shares) and trade counts add up to the stored ones; every
 * minute's VWAP lies within its own range and the volume-weighted mean of the minutes' VWAPs is the
 * stored VWAP (to rounding of the sums, about 1e-15 relative). Minutes without volume are left out,
 * as Alpaca leaves out minutes without trades.
 *
 * <p>The path depends only on the bar and {@code seed}, so every run of the simulator streams the
 * same minutes.
 */
public final class MinuteBars {
    private MinuteBars() {
    }

    /**
     * The minutes of {@code bar}, which spans {@code minutes} minutes from its start.
     *
     * @throws IllegalArgumentException when the bar is not a valid bar (low above open or close, a
     *                                  VWAP outside the range, negative volume)
     */
    public static List<Bar> of(Bar bar, int minutes, long seed) {
        double o = bar.open(), h = bar.high(), l = bar.low(), c = bar.close();
        double vw = Double.isNaN(bar.vwap()) ? (h + l + c) / 3 : bar.vwap();
        // A split-adjusted VWAP can fall outside the adjusted range by a rounding; clamp only that much.
        if (vw < l && vw > l - 1e-9 * l || vw > h && vw < h + 1e-9 * h) {
            vw = Math.min(h, Math.max(l, vw));
        }
        long volume = Math.round(bar.volume());
        if (!(l <= Math.min(o, c) && h >= Math.max(o, c) && vw >= l && vw <= h && volume >= 0)) {
            throw new IllegalArgumentException("bar " + bar.symbol() + " at " + bar.start() + " is not a valid bar: " + bar);
        }
        if (minutes == 1 || volume <= 1) {
            return volume == 0 ? List.of() : List.of(new Bar(bar.symbol(), bar.start(), o, h, l, c, volume, vw,
                    Math.max(1, bar.tradeCount())));
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ bar.start().getEpochSecond() * 0x9E3779B97F4A7C15L
                ^ bar.symbol().hashCode());
        long[] v = split(volume, minutes, rnd, 0);
        int traded = 0;
        for (long x : v) {
            traded += x > 0 ? 1 : 0;
        }
        // Trade counts: at least one trade in each minute with volume.
        long trades = Math.max(bar.tradeCount(), traded);
        long[] n = new long[minutes];
        long[] extra = split(trades - traded, traded, rnd, 0);
        for (int k = 0, j = 0; k < minutes; k++) {
            if (v[k] > 0) {
                n[k] = 1 + extra[j++];
            }
        }
        int[] live = new int[traded];
        for (int k = 0, j = 0; k < minutes; k++) {
            if (v[k] > 0) {
                live[j++] = k;
            }
        }
        int m = live.length;
        // A random walk of closes from o to c inside [l, h]; the high and the low each land in one minute.
        double[] close = new double[m];
        for (int j = 0; j < m - 1; j++) {
            double drift = o + (c - o) * (j + 1) / m;
            double noise = (h - l) * 0.25 * (rnd.nextDouble() - 0.5);
            close[j] = Math.min(h, Math.max(l, drift + noise));
        }
        close[m - 1] = c;
        double[] open = new double[m];
        open[0] = o;
        for (int j = 1; j < m; j++) {
            open[j] = close[j - 1];
        }
        double[] hi = new double[m];
        double[] lo = new double[m];
        for (int j = 0; j < m; j++) {
            hi[j] = Math.max(open[j], close[j]);
            lo[j] = Math.min(open[j], close[j]);
        }
        // Every minute's range holds the stored VWAP, so the VWAPs can always be made to average to it.
        for (int j = 0; j < m; j++) {
            hi[j] = Math.max(hi[j], vw);
            lo[j] = Math.min(lo[j], vw);
        }
        hi[rnd.nextInt(m)] = h;
        lo[rnd.nextInt(m)] = l;
        double[] vwap = vwaps(open, hi, lo, close, live, v, vw);
        List<Bar> out = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            Instant t = bar.start().plusSeconds(60L * live[j]);
            out.add(new Bar(bar.symbol(), t, open[j], hi[j], lo[j], close[j], v[live[j]], vwap[j], n[live[j]]));
        }
        return out;
    }

    /**
     * Each minute's VWAP: its typical price, shifted so the volume-weighted mean is the stored VWAP,
     * then pulled toward the stored VWAP just enough to stay inside every minute's range (the
     * stored VWAP itself lies in each, so that always succeeds and keeps the mean).
     */
    private static double[] vwaps(double[] open, double[] hi, double[] lo, double[] close, int[] live, long[] v,
                                  double target) {
        int m = open.length;
        double total = 0;
        double weighted = 0;
        double[] typical = new double[m];
        for (int j = 0; j < m; j++) {
            typical[j] = (hi[j] + lo[j] + close[j]) / 3;
            total += v[live[j]];
            weighted += v[live[j]] * typical[j];
        }
        double shift = target - weighted / total;
        double beta = 1;
        for (int j = 0; j < m; j++) {
            double d = typical[j] + shift - target; // deviation from the stored VWAP
            if (d > 0 && target + d > hi[j]) {
                beta = Math.min(beta, (hi[j] - target) / d);
            } else if (d < 0 && target + d < lo[j]) {
                beta = Math.min(beta, (lo[j] - target) / d);
            }
        }
        double[] out = new double[m];
        for (int j = 0; j < m; j++) {
            out[j] = Math.min(hi[j], Math.max(lo[j], target + beta * (typical[j] + shift - target)));
        }
        return out;
    }

    /** {@code total} split into {@code parts} non-negative whole parts, at random, summing exactly. */
    private static long[] split(long total, int parts, SplittableRandom rnd, long floor) {
        long[] out = new long[parts];
        if (parts == 0) {
            return out;
        }
        double[] w = new double[parts];
        double sum = 0;
        for (int k = 0; k < parts; k++) {
            w[k] = 0.2 + rnd.nextDouble();
            sum += w[k];
        }
        long given = 0;
        for (int k = 0; k < parts; k++) {
            out[k] = floor + (long) Math.floor((total - floor * parts) * w[k] / sum);
            given += out[k];
        }
        for (long left = total - given; left > 0; left--) {
            out[rnd.nextInt(parts)]++;
        }
        return out;
    }
}
