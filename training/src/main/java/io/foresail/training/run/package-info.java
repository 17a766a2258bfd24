/**
 * A training run: its configuration, the walk-forward over folds and models, and the report.
 */
package io.foresail.training.run;
