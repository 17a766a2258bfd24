package io.foresail.trading.decision;

import java.util.Objects;

/**
 * One bar's model scores for the universe, in the decision path's symbol order ({@code NaN}: no
 * score, e.g. features still warming up), with the model version that made them (for the record)
 * and its measured out-of-sample IC ({@code NaN} when unknown; the Kelly cap needs it).
 */
public record Scores(String modelVersion, double[] values, double ic) {
    public Scores {
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(values, "values");
    }
}
