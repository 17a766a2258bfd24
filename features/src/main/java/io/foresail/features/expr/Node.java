package io.foresail.features.expr;

import io.foresail.features.kernel.BarInput;

/**
 * One step of a compiled {@link ExprGraph}: the stateful evaluator of one distinct expression for
 * one symbol. Called exactly once per bar, in time order, after every node it reads; it reads its
 * inputs' values at this bar from {@code values} by the slots it was compiled with.
 */
public interface Node {
    double next(BarInput bar, double[] values);
}
