package io.foresail.trading.decision;

/**
 * The account as the decision path sees it at a bar close: equity in dollars, and per symbol (in
 * the path's order) the shares held and the shares still on open orders (both signed). The live
 * trader builds it from the reconciled broker state, the backtest from its simulated venue.
 */
public record Book(double equity, double[] shares, double[] pending) {
}
