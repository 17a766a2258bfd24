package io.foresail.features.engine;

import io.foresail.features.kernel.BarInput;
import io.foresail.features.expr.ExprGraph;
import io.foresail.features.expr.ExprKernel;
import io.foresail.features.kernel.FeatureKernel;
import io.foresail.features.kernel.Feature;

import java.util.ArrayList;
import java.util.List;

/**
 * One symbol's kernels for a list of features, in order: the unit both the batch job and the
 * online engine drive. Feed every bar of the symbol once, in time order. Not thread-safe.
 *
 * <p>Expression kernels are compiled together into one {@link ExprGraph}, so a sub-expression
 * that many features share (a lagged close, a rolling mean, an ATR) is evaluated once per bar;
 * other kernels run on their own.
 */
public final class SymbolFeatures {
    private final ExprGraph graph = new ExprGraph();
    /** Per output column: the graph slot of an expression feature, or -1. */
    private final int[] slots;
    private final int[] warmUps;
    /** Per output column: the kernel of a non-expression feature, or null. */
    private final FeatureKernel[] kernels;
    private final int[] kernelColumns;
    private double lastClose = Double.NaN;

    public SymbolFeatures(List<Feature> features) {
        int n = features.size();
        slots = new int[n];
        warmUps = new int[n];
        List<Integer> own = new ArrayList<>();
        FeatureKernel[] all = new FeatureKernel[n];
        for (int i = 0; i < n; i++) {
            FeatureKernel k = features.get(i).newKernel();
            if (k instanceof ExprKernel e) {
                slots[i] = graph.output(e.expr());
                warmUps[i] = e.warmUp();
            } else {
                slots[i] = -1;
                all[i] = k;
                own.add(i);
            }
        }
        kernels = new FeatureKernel[own.size()];
        kernelColumns = new int[own.size()];
        for (int j = 0; j < kernels.length; j++) {
            kernelColumns[j] = own.get(j);
            kernels[j] = all[own.get(j)];
        }
    }

    public int size() {
        return slots.length;
    }

    /** Distinct expression nodes evaluated per bar (for diagnostics and benchmarks). */
    public int graphSize() {
        return graph.size();
    }

    /** Runs every kernel on {@code bar} and writes the values to {@code out[offset..]}. */
    public void update(MutableBarInput bar, double[] out, int offset) {
        graph.advance(bar);
        for (int i = 0; i < slots.length; i++) {
            int s = slots[i];
            if (s >= 0) {
                out[offset + i] = graph.value(s, warmUps[i]);
            }
        }
        for (int j = 0; j < kernels.length; j++) {
            out[offset + kernelColumns[j]] = kernels[j].update(bar);
        }
        lastClose = bar.close();
    }

    /** The symbol's return from its previous bar to a bar closing at {@code close}; NaN before its first bar. */
    public double returnTo(double close) {
        return BarInput.simpleReturn(lastClose, close);
    }

}
