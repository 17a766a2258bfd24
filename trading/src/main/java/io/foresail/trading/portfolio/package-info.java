/**
 * Portfolio construction (long-only top-k, long-short quantiles, score-weighted) and the rebalance
 * schedule: scores in, target weights before risk out.
 */
package io.foresail.trading.portfolio;
