package io.foresail.core.stats;

import java.util.Arrays;

/**
 * Pearson and Spearman (rank) correlation of paired samples. Pairs where either value is NaN are
 * skipped; fewer than three usable pairs, or a constant side, give NaN. Ties get average ranks.
 */
public final class Correlation {
    private Correlation() {
    }

    public static double pearson(double[] x, double[] y) {
        return pearson(x, y, x.length);
    }

    /** Pearson correlation of the first {@code n} pairs. */
    public static double pearson(double[] x, double[] y, int n) {
        check(x, y, n);
        int m = 0;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                continue;
            }
            m++;
            mx += (x[i] - mx) / m;
            my += (y[i] - my) / m;
        }
        if (m < 3) {
            return Double.NaN;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                continue;
            }
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    public static double spearman(double[] x, double[] y) {
        return spearman(x, y, x.length);
    }

    /** Spearman rank correlation of the first {@code n} pairs. */
    public static double spearman(double[] x, double[] y, int n) {
        check(x, y, n);
        int m = 0;
        double[] px = new double[n];
        double[] py = new double[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                px[m] = x[i];
                py[m] = y[i];
                m++;
            }
        }
        if (m < 3) {
            return Double.NaN;
        }
        return pearson(ranks(px, m), ranks(py, m), m);
    }

    /** Average ranks (1-based) of the first {@code n} values. */
    static double[] ranks(double[] v, int n) {
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = avg;
            }
            i = j + 1;
        }
        return r;
    }

    private static void check(double[] x, double[] y, int n) {
        if (n > x.length || n > y.length) {
            throw new IllegalArgumentException("n=" + n + " exceeds sample lengths " + x.length + "/" + y.length);
        }
    }
}
