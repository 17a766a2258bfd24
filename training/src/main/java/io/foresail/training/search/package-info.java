/**
 * Hyperparameter search (Jenetics) and the seam that runs its trials locally or as Spark tasks.
 */
package io.foresail.training.search;
