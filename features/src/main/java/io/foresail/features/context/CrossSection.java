package io.foresail.features.context;

import java.util.Arrays;

/**
 * Transforms of one value per symbol at one timestamp. Callers pass symbols in a fixed order
 * (ascending symbol), so sums run in the same order in the batch job and the live engine and give
 * the same bits. NaN inputs stay NaN and are left out of the others' statistics.
 */
public final class CrossSection {
    /** Below this many valid values a z-score is not meaningful and is NaN. */
    public static final int MIN_ZSCORE_COUNT = 3;

    private CrossSection() {
    }

    /**
     * Applies the cross-sectional operator {@code op} ({@code rank} or {@code zscore}, as named in a
     * feature-set spec) to the first {@code n} values.
     */
    public static void transform(String op, double[] values, int n, double[] out) {
        switch (op) {
            case "rank" -> rank(values, n, out);
            case "zscore" -> zscore(values, n, out);
            default -> throw new IllegalArgumentException("unknown cross-sectional op " + op);
        }
    }

    /** Percentile rank in (0, 1], ties averaged: (average 1-based rank) / (number of valid values). */
    public static void rank(double[] values, int n, double[] out) {
        int m = 0;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(values[i])) {
                order[m++] = i;
            }
            out[i] = Double.NaN;
        }
        Integer[] valid = Arrays.copyOf(order, m);
        Arrays.sort(valid, (a, b) -> {
            int c = Double.compare(values[a] == 0.0 ? 0.0 : values[a], values[b] == 0.0 ? 0.0 : values[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int i = 0;
        while (i < m) {
            int j = i;
            while (j + 1 < m && values[valid[j + 1]] == values[valid[i]]) {
                j++;
            }
            double averageRank = (i + 1 + j + 1) / 2.0;
            for (int k = i; k <= j; k++) {
                out[valid[k]] = averageRank / m;
            }
            i = j + 1;
        }
    }

    /** Population z-score; NaN for all when fewer than {@link #MIN_ZSCORE_COUNT} valid values or no dispersion. */
    public static void zscore(double[] values, int n, double[] out) {
        double sum = 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(values[i])) {
                sum += values[i];
                m++;
            }
        }
        double mean = sum / m;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(values[i])) {
                double d = values[i] - mean;
                squares += d * d;
            }
        }
        double sd = Math.sqrt(squares / m);
        boolean defined = m >= MIN_ZSCORE_COUNT && sd > 1e-12 * Math.max(1.0, Math.abs(mean));
        for (int i = 0; i < n; i++) {
            out[i] = defined && !Double.isNaN(values[i]) ? (values[i] - mean) / sd : Double.NaN;
        }
    }

    /**
     * Leave-one-out sector returns: for each symbol, the mean return of the OTHER symbols of its
     * sector with a valid return at this timestamp; NaN when there are none.
     *
     * @param sector  sector index of each symbol (0..sectors-1)
     * @param returns each symbol's own return over this bar, NaN when unknown
     */
    public static void sectorReturnsExcludingSelf(int[] sector, double[] returns, int n, int sectors, double[] out) {
        double[] sum = new double[sectors];
        int[] count = new int[sectors];
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(returns[i])) {
                sum[sector[i]] += returns[i];
                count[sector[i]]++;
            }
        }
        for (int i = 0; i < n; i++) {
            int s = sector[i];
            if (Double.isNaN(returns[i])) {
                out[i] = count[s] > 0 ? sum[s] / count[s] : Double.NaN;
            } else {
                out[i] = count[s] > 1 ? (sum[s] - returns[i]) / (count[s] - 1) : Double.NaN;
            }
        }
    }
}
