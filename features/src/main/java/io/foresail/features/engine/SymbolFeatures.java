package io.foresail.features.engine;

import io.foresail.features.kernel.FeatureKernel;
import io.foresail.features.kernel.Feature;

import java.util.List;

/**
 * One symbol's kernels for a list of features, in order: the unit both the batch job and the
 * online engine drive. Feed every bar of the symbol once, in time order. Not thread-safe.
 */
public final class SymbolFeatures {
    private final FeatureKernel[] kernels;
    private double lastClose = Double.NaN;

    public SymbolFeatures(List<Feature> features) {
        kernels = new FeatureKernel[features.size()];
        for (int i = 0; i < kernels.length; i++) {
            kernels[i] = features.get(i).newKernel();
        }
    }

    public int size() {
        return kernels.length;
    }

    /** Runs every kernel on {@code bar} and writes the values to {@code out[offset..]}. */
    public void update(MutableBarInput bar, double[] out, int offset) {
        for (int i = 0; i < kernels.length; i++) {
            out[offset + i] = kernels[i].update(bar);
        }
        lastClose = bar.close();
    }

    /** The symbol's return from its previous bar to a bar closing at {@code close}; NaN before its first bar. */
    public double returnTo(double close) {
        return simpleReturn(lastClose, close);
    }

    /** {@code current / previous - 1}; NaN when undefined (unknown or non-positive previous price). */
    public static double simpleReturn(double previous, double current) {
        double r = current / previous - 1;
        return previous > 0 && Double.isFinite(r) ? r : Double.NaN;
    }
}
