package io.foresail.features.expr;

import io.foresail.features.kernel.BarInput;
import io.foresail.features.kernel.FeatureKernel;

/**
 * A {@link FeatureKernel} evaluating an {@link Expr}: NaN until the expression's warm-up has
 * passed, and NaN instead of any non-finite value afterwards.
 */
public final class ExprKernel implements FeatureKernel {
    private final Node root;
    private final int warmUp;
    private final String version;
    private int seen;

    public ExprKernel(Expr expr) {
        this.root = expr.node();
        this.warmUp = expr.warmUp();
        this.version = Ops.VERSION + ":" + expr.formula();
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
        double v = root.next(bar);
        if (++seen < warmUp || !Double.isFinite(v)) {
            return Double.NaN;
        }
        return v;
    }
}
