package io.foresail.features.expr;

import io.foresail.features.kernel.Requirement;

import java.util.Set;

/**
 * An incremental time-series expression in the style of qlib's operators ({@code Mean($close,5)/$close}):
 * immutable, and a factory of per-symbol {@link Node}s. Built with {@link Ops}.
 *
 * <p>NaN semantics are strict: a rolling operator whose window holds a NaN yields NaN, and any
 * undefined arithmetic (division by zero, log of a non-positive number) yields NaN, never an infinity.
 */
public interface Expr {

    Node node();

    /** Bars, the current one included, before the value can be defined. */
    int warmUp();

    /** A readable qlib-like formula; also part of the kernel version, so editing a formula changes ids. */
    String formula();

    default Set<Requirement> requirements() {
        return Set.of();
    }
}
