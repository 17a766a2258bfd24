package io.foresail.inference;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The predictions of one bar close for the universe.
 *
 * @param start      the bar's start (UTC), as the feature frame's
 * @param version    the model version that made every score here
 * @param symbols    the symbols scored, ascending
 * @param scores     one score per scored symbol, in the model's units (the label for a regressor,
 *                   P(up) for a classifier)
 * @param warmingUp  symbols with a bar whose inputs are not complete yet (fewer bars than the
 *                   model's window, or a feature still in its warm-up): never scored
 * @param missing    symbols of the plan without a bar at this time
 */
public record BarPredictions(Instant start, ServedVersion version, List<String> symbols, double[] scores,
                             List<String> warmingUp, List<String> missing) {
    public BarPredictions {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(version, "version");
        symbols = List.copyOf(symbols);
        warmingUp = List.copyOf(warmingUp);
        missing = List.copyOf(missing);
        if (scores.length != symbols.size()) {
            throw new IllegalArgumentException(scores.length + " scores for " + symbols.size() + " symbols");
        }
    }

    /** The score of {@code symbol}, or NaN when it was not scored. */
    public double score(String symbol) {
        int i = symbols.indexOf(symbol);
        return i < 0 ? Double.NaN : scores[i];
    }
}
