package io.foresail.models;

import java.util.Objects;

/**
 * Everything a {@link ModelTrainer} needs to fit one model: the training rows, the validation rows
 * for early stopping (never the test rows), and the {@link FitProvenance} (hyperparameters,
 * features, seed, threads, where the data came from) that goes into the model card.
 */
public record FitRequest(TrainingData train, TrainingData validation, FitProvenance provenance)
        implements FitProvenance.Carrier, java.io.Serializable {

    public FitRequest {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(provenance, "provenance");
        int features = provenance.features().size();
        if (train.x().cols() != features || validation.x().cols() != features) {
            throw new IllegalArgumentException("matrices have " + train.x().cols() + "/" + validation.x().cols()
                    + " columns for " + features + " features");
        }
    }

    /** The same fit with other hyperparameters (a search trial). */
    public FitRequest with(Hyperparameters h) {
        return new FitRequest(train, validation, provenance.with(h));
    }
}
