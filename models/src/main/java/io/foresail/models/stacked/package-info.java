/**
 * The deployable stacked ensemble: {@link io.foresail.models.stacked.StackedEnsemble} (one artifact
 * holding its members and the meta-learner) and {@link io.foresail.models.stacked.MetaLearner}.
 * Here, beside the other model types, so that loading and serving an ensemble needs only
 * {@code models} and {@code core}; how one is built from walk-forward results (stacking, its report)
 * stays in the {@code ensemble} module with the training stack.
 */
package io.foresail.models.stacked;
