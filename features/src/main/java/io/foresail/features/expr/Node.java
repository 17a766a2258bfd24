package io.foresail.features.expr;

import io.foresail.features.kernel.BarInput;

/** The stateful evaluator of an {@link Expr} for one symbol: called exactly once per bar, in time order. */
public interface Node {
    double next(BarInput bar);
}
