package io.foresail.models;

import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link ModelTrainer} needs to fit one model: the training rows, the validation rows
 * for early stopping (never the test rows), the hyperparameters, and the provenance that goes into
 * the model card. {@code threads} is pinned so that a refit gives identical predictions.
 */
public record FitRequest(
        TrainingData train,
        TrainingData validation,
        Task task,
        Hyperparameters hyperparameters,
        List<String> features,
        String target,
        String featureSetId,
        String trainFrom,
        String trainTo,
        long seed,
        int threads) implements java.io.Serializable {

    public FitRequest {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(hyperparameters, "hyperparameters");
        features = List.copyOf(features);
        if (train.x().cols() != features.size() || validation.x().cols() != features.size()) {
            throw new IllegalArgumentException("matrices have " + train.x().cols() + "/" + validation.x().cols()
                    + " columns for " + features.size() + " features");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** The same fit with other hyperparameters (a search trial). */
    public FitRequest with(Hyperparameters h) {
        return new FitRequest(train, validation, task, h, features, target, featureSetId, trainFrom, trainTo, seed, threads);
    }
}
