/** The replay loop ({@code Replay}), its settings ({@code BacktestConfig}) and its output ({@code BacktestResult}). */
package io.foresail.backtest.replay;
