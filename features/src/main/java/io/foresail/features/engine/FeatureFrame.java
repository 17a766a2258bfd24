package io.foresail.features.engine;

import java.time.Instant;
import java.util.List;

/**
 * The features of every equity that had a bar at one bar start: {@code values[i]} is the row of
 * {@code symbols.get(i)} in {@code names} order. Symbols ascend. The arrays belong to the frame.
 */
public record FeatureFrame(Instant start, List<String> names, List<String> symbols, double[][] values) {

    /** The row of {@code symbol}, or null when it had no bar at this time. */
    public double[] row(String symbol) {
        int i = symbols.indexOf(symbol);
        return i < 0 ? null : values[i];
    }

    public double value(String symbol, String feature) {
        double[] row = row(symbol);
        int k = names.indexOf(feature);
        if (row == null || k < 0) {
            throw new IllegalArgumentException("no value of " + feature + " for " + symbol + " at " + start);
        }
        return row[k];
    }
}
