/**
 * The decision path: {@code DecisionPath} (scores, bar closes and the {@code Book} in; a
 * {@code Decision} with order intents out), configured by {@code StrategyConfig}.
 */
package io.foresail.trading.decision;
