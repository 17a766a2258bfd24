package io.foresail.backtest.tape;

import io.foresail.core.error.InvalidInputException;

/**
 * Precomputed scores for a replay, on a {@link BarTape}'s axis: {@code values[t][i]} is symbol
 * {@code i}'s score for the decision at the close of bar {@code t} ({@code NaN}: none). The
 * inference module's batch prediction writes what goes in here and is proven equal to the live
 * predictor's output, so a backtest on these scores decides what the trader would have. {@code
 * source} names where they came from (a model version, {@code oracle}, out-of-fold predictions of a
 * run); {@code ic} is the model's measured out-of-sample IC for the Kelly cap ({@code NaN}: unknown).
 */
public record ScoreTape(String source, double[][] values, double ic) {
    public ScoreTape {
        if (values.length == 0) {
            throw new InvalidInputException("score tape '" + source + "' is empty");
        }
    }

    /** The first bar with any score, or -1 when none has one. */
    public int firstScoredBar() {
        for (int t = 0; t < values.length; t++) {
            for (double v : values[t]) {
                if (!Double.isNaN(v)) {
                    return t;
                }
            }
        }
        return -1;
    }

    /** The last bar with any score, or -1 when none has one. */
    public int lastScoredBar() {
        for (int t = values.length - 1; t >= 0; t--) {
            for (double v : values[t]) {
                if (!Double.isNaN(v)) {
                    return t;
                }
            }
        }
        return -1;
    }

    /** How many (bar, symbol) pairs hold a score. */
    public long scored() {
        long n = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    n++;
                }
            }
        }
        return n;
    }
}
