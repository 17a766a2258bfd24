/**
 * Gradient-boosted trees: XGBoost and LightGBM (with their native libraries loaded safely for
 * concurrent processes).
 */
package io.foresail.models.gbm;
