package io.foresail.models;

/**
 * What every trainer declares: its type name (as in model.json and configuration) and its
 * hyperparameters with their search ranges. {@link ModelTrainer} fits on rows;
 * {@link io.foresail.models.sequence.SequenceTrainer} fits on windows of rows.
 *
 * <p>Trainers are serializable so a search can ship one to wherever its trials run (a Spark
 * executor); they hold configuration, never fitted state.
 */
public interface Trainer extends java.io.Serializable {

    String type();

    SearchSpace searchSpace();

    /**
     * Whether one fit already spreads over a cluster (distributed XGBoost). Such a trainer's trials
     * run one after another on the driver instead of as parallel trial tasks.
     */
    default boolean distributed() {
        return false;
    }
}
