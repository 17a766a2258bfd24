package io.foresail.trading.portfolio;

import io.foresail.core.error.InvalidInputException;

import java.util.Arrays;

/**
 * Turns one bar's scores into target weights (fractions of equity, signed; a short is negative)
 * before any risk rule. Symbols without a score ({@code NaN}) get weight 0. The result's gross
 * exposure is 1 (or 0 when nothing can be held); the risk rules scale it from there.
 *
 * <p>Ties are broken by universe order, so the same scores always give the same weights.
 * Implementations keep scratch space and are not thread-safe: one per decision path.
 */
public sealed interface PortfolioConstruction {

    /** Writes the weights for {@code scores} into {@code weights} (same length). */
    void weights(double[] scores, double[] weights);

    /**
     * Long the {@code k} highest scores, equal weight. Fewer than {@code k} scored names: equal
     * weight over those there are.
     */
    static PortfolioConstruction longOnlyTopK(int k) {
        return new Ranked(k, false);
    }

    /** Long the {@code k} highest and short the {@code k} lowest scores, equal weight, dollar-neutral. */
    static PortfolioConstruction longShortQuantiles(int k) {
        return new Ranked(k, true);
    }

    /**
     * Weights proportional to the score's distance from the cross-sectional mean (long-short,
     * dollar-neutral), or to the positive part of the demeaned score ({@code longOnly}).
     */
    static PortfolioConstruction scoreWeighted(boolean longOnly) {
        return new ScoreWeighted(longOnly);
    }

    /** Top and bottom {@code k} by score. */
    final class Ranked implements PortfolioConstruction {
        private final int k;
        private final boolean shortSide;
        private long[] keys = new long[0];

        Ranked(int k, boolean shortSide) {
            if (k < 1) {
                throw new InvalidInputException("portfolio k must be at least 1, got " + k);
            }
            this.k = k;
            this.shortSide = shortSide;
        }

        @Override
        public void weights(double[] scores, double[] weights) {
            Arrays.fill(weights, 0);
            int n = rank(scores);
            if (n == 0) {
                return;
            }
            // A long-short book needs distinct names on each side: at most half the scored names each.
            int side = shortSide ? Math.min(k, n / 2) : Math.min(k, n);
            if (side == 0) {
                return;
            }
            double w = shortSide ? 0.5 / side : 1.0 / side;
            for (int j = 0; j < side; j++) {
                weights[index(keys[n - 1 - j])] = w;
                if (shortSide) {
                    weights[index(keys[j])] = -w;
                }
            }
        }

        /**
         * Sorts the scored names ascending into {@code keys}: the score's order-preserving bits in
         * the high part and the universe index in the low 16 bits, so one primitive sort ranks with
         * deterministic ties (a higher index ranks higher on a tie) and allocates nothing.
         */
        private int rank(double[] scores) {
            if (keys.length < scores.length) {
                keys = new long[scores.length];
            }
            if (scores.length > 1 << 16) {
                throw new InvalidInputException("a universe of at most 65,536 names, got " + scores.length);
            }
            int n = 0;
            for (int i = 0; i < scores.length; i++) {
                double s = scores[i];
                if (!Double.isNaN(s)) {
                    long bits = Double.doubleToLongBits(s == 0 ? 0.0 : s);
                    long ordered = bits < 0 ? ~bits : bits | Long.MIN_VALUE;
                    // Keep the 48 most significant bits of the ordered value: scores closer than
                    // 2^-36 relative count as a tie, broken by universe order.
                    keys[n++] = (ordered & 0xFFFF_FFFF_FFFF_0000L) ^ Long.MIN_VALUE | i;
                }
            }
            Arrays.sort(keys, 0, n);
            return n;
        }

        private static int index(long key) {
            return (int) (key & 0xFFFF);
        }
    }

    /** Demeaned scores, normalised to gross 1. */
    final class ScoreWeighted implements PortfolioConstruction {
        private final boolean longOnly;

        ScoreWeighted(boolean longOnly) {
            this.longOnly = longOnly;
        }

        @Override
        public void weights(double[] scores, double[] weights) {
            double sum = 0;
            int n = 0;
            for (double s : scores) {
                if (!Double.isNaN(s)) {
                    sum += s;
                    n++;
                }
            }
            Arrays.fill(weights, 0);
            if (n == 0) {
                return;
            }
            double mean = sum / n;
            double gross = 0;
            for (int i = 0; i < scores.length; i++) {
                double s = scores[i];
                if (!Double.isNaN(s)) {
                    double d = s - mean;
                    weights[i] = longOnly ? Math.max(0, d) : d;
                    gross += Math.abs(weights[i]);
                }
            }
            if (gross == 0) {
                Arrays.fill(weights, 0);
                return;
            }
            for (int i = 0; i < weights.length; i++) {
                weights[i] /= gross;
            }
        }
    }
}
