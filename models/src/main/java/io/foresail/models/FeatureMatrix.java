package io.foresail.models;

import io.foresail.core.error.InvalidInputException;

/**
 * A dense row-major matrix of feature values in float32 (what every model library consumes):
 * {@code values[row * cols + col]}. NaN marks a missing value. The array is shared, not copied:
 * callers must not change it while a model reads it.
 */
public record FeatureMatrix(float[] values, int rows, int cols) implements java.io.Serializable {

    public FeatureMatrix {
        if (rows < 0 || cols < 1 || (long) rows * cols != values.length) {
            throw new InvalidInputException("feature matrix of " + values.length + " values is not "
                    + rows + " rows x " + cols + " columns");
        }
    }

    public float get(int row, int col) {
        return values[row * cols + col];
    }

    /** Rows {@code [from, to)} as a new matrix (a copy). */
    public FeatureMatrix rows(int from, int to) {
        float[] out = new float[(to - from) * cols];
        System.arraycopy(values, from * cols, out, 0, out.length);
        return new FeatureMatrix(out, to - from, cols);
    }

    /** The given rows, in the given order, as a new matrix. */
    public FeatureMatrix select(int[] rowIndex) {
        float[] out = new float[rowIndex.length * cols];
        for (int i = 0; i < rowIndex.length; i++) {
            System.arraycopy(values, rowIndex[i] * cols, out, i * cols, cols);
        }
        return new FeatureMatrix(out, rowIndex.length, cols);
    }
}
