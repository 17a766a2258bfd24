package io.foresail.features.expr;

import io.foresail.features.kernel.Requirement;

import java.util.Set;

/**
 * An incremental time-series expression in the style of qlib's operators ({@code Mean($close,5)/$close}):
 * immutable, compiled into an {@link ExprGraph} per symbol. Built with {@link Ops}.
 *
 * <p>NaN semantics are strict: a rolling operator whose window holds a NaN yields NaN, and any
 * undefined arithmetic (division by zero, log of a non-positive number) yields NaN, never an infinity.
 */
public interface Expr {

    /**
     * Adds this expression's evaluator to {@code graph}, reading its operands through
     * {@link ExprGraph#slot(Expr)} so that shared sub-expressions are evaluated once per bar.
     */
    Node compile(ExprGraph graph);

    /** Bars, the current one included, before the value can be defined. */
    int warmUp();

    /** A readable qlib-like formula; also part of the kernel version, so editing a formula changes ids. */
    String formula();

    /**
     * The structural identity of the computation, fully parenthesised: two expressions with the
     * same key compute the same series, so a graph evaluates them once. Unlike {@link #formula()}
     * it ignores display names given with {@link Ops#named}.
     */
    String key();

    default Set<Requirement> requirements() {
        return Set.of();
    }
}
