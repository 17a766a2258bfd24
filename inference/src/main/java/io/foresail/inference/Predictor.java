package io.foresail.inference;

import io.foresail.features.engine.FeatureFrame;

/**
 * The live path's one call per bar close: the feature engine's frame for the whole universe in,
 * one score per ready symbol out, with the model version that made them. Frames must come in bar
 * order with no bar skipped for a symbol that is to be scored (windows are built from them).
 */
public interface Predictor {

    /**
     * @throws IllegalStateException when no model is being served yet
     */
    BarPredictions predict(FeatureFrame frame);
}
