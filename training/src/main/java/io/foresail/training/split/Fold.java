package io.foresail.training.split;

/**
 * One walk-forward fold: train, then validation (early stopping and hyperparameter search), then
 * test (out-of-sample), in that time order, with gaps of {@code purge + embargo} bars between them.
 */
public record Fold(int index, BarRange train, BarRange validation, BarRange test) {
}
