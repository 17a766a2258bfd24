package io.foresail.features.expr;

import io.foresail.features.kernel.BarInput;
import io.foresail.features.kernel.FeatureKernel;

/**
 * A {@link FeatureKernel} evaluating one {@link Expr} in a graph of its own: NaN until the
 * expression's warm-up has passed, and NaN instead of any non-finite value afterwards. Engines
 * that run many expression features per symbol compile them into one shared {@link ExprGraph}
 * instead (see {@link #expr()}); both paths evaluate the same nodes, so they agree bit for bit.
 */
public final class ExprKernel implements FeatureKernel {
    private final Expr expr;
    private final int warmUp;
    private final String version;
    private ExprGraph graph;
    private int slot;

    public ExprKernel(Expr expr) {
        this.expr = expr;
        this.warmUp = expr.warmUp();
        this.version = Ops.VERSION + ":" + expr.formula();
    }

    /** The expression, for engines that compile several kernels into one graph. */
    public Expr expr() {
        return expr;
    }

    @Override
    public int warmUp() {
        return warmUp;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public double update(BarInput bar) {
        if (graph == null) {
            graph = new ExprGraph();
            slot = graph.output(expr);
        }
        graph.advance(bar);
        return graph.value(slot, warmUp);
    }
}
