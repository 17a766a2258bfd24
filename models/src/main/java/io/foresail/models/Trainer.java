package io.foresail.models;

/**
 * What every trainer declares: its type name (as in model.json and configuration) and its
 * hyperparameters with their search ranges. {@link ModelTrainer} fits on rows;
 * {@link io.foresail.models.sequence.SequenceTrainer} fits on windows of rows.
 */
public interface Trainer {

    String type();

    SearchSpace searchSpace();
}
