package io.foresail.models;

import io.foresail.core.error.InvalidInputException;

/**
 * Rows to fit or validate on: features and one label per row (finite; rows with a missing label
 * are removed before they get here, and counted where that happens).
 */
public record TrainingData(FeatureMatrix x, float[] y) implements java.io.Serializable {

    public TrainingData {
        if (y.length != x.rows()) {
            throw new InvalidInputException(x.rows() + " feature rows but " + y.length + " labels");
        }
        for (int i = 0; i < y.length; i++) {
            if (!Float.isFinite(y[i])) {
                throw new InvalidInputException("label of row " + i + " is " + y[i] + "; labels must be finite");
            }
        }
    }

    public int rows() {
        return y.length;
    }
}
