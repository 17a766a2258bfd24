/**
 * Building stacked ensembles from a walk-forward training run: the out-of-fold assembly, the
 * meta-learner's fit, the honest level-1 walk-forward report with what each member adds, and the
 * refit. The artifact they produce, {@link io.foresail.models.stacked.StackedEnsemble}, lives in
 * {@code models} so that serving it never loads the training stack.
 */
package io.foresail.ensemble;
