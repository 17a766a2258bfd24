package io.foresail.models;

import java.nio.file.Path;

/**
 * A fitted model: it predicts one score per row of a {@link FeatureMatrix} whose columns are
 * {@link ModelCard#features()} in that order. Implementations hold native resources (boosters,
 * sessions); the owner closes the model, once, after the last prediction.
 *
 * <p>Contract: {@link #save} writes the model's native files and its {@code model.json} into an
 * empty directory, and {@link ModelArtifact#load} of that directory gives a model that predicts
 * bit-identically. Predictions are deterministic: the thread count is part of the card.
 */
public interface Model extends AutoCloseable {

    ModelCard card();

    /** One prediction per row: the label for a regressor, P(label = 1) for a classifier. */
    double[] predict(FeatureMatrix x);

    /**
     * Importance of each feature (name → share, summing to 1), as the model measures it: total
     * split gain for boosted trees, |weight| on standardised inputs for ridge. Empty when the
     * model cannot say (an imported ONNX graph).
     */
    default java.util.Map<String, Double> featureImportance() {
        return java.util.Map.of();
    }

    /**
     * Whether a missing input (NaN) is a value this model was trained to take. True for the models
     * Foresail trains (trees route it, ridge and the sequence nets read it as the mean); false for an
     * imported graph, which gives no such promise. A caller never sends NaN to a model that says no.
     */
    default boolean acceptsMissingValues() {
        return true;
    }

    /** Writes the model's own files (not model.json, not checksums) into {@code dir}; returns their names. */
    java.util.List<String> writeFiles(Path dir);

    /** Saves the model as an artifact directory: its files, {@code model.json}, {@code checksums.sha256}. */
    default void save(Path dir) {
        ModelArtifact.save(this, dir);
    }

    /** Scores per feature in card order, scaled to shares summing to 1 (all zero stays all zero). */
    static java.util.Map<String, Double> shares(java.util.List<String> features, double[] scores) {
        double total = 0;
        for (double v : scores) {
            total += Math.abs(v);
        }
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < features.size(); i++) {
            out.put(features.get(i), total == 0 ? 0.0 : Math.abs(scores[i]) / total);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    void close();
}
