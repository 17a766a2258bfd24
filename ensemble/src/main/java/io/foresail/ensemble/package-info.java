/**
 * Stacked ensembles: the meta-learner on out-of-fold predictions, the honest level-1 walk-forward
 * report with what each member adds, and the deployable {@code StackedEnsemble} artifact.
 */
package io.foresail.ensemble;
