/**
 * Backtests from files: {@code ReplayInputs} (bar store and prediction or oracle files into the
 * replay's tapes) and {@code BacktestJob} (replay, figures, report directory).
 */
package io.foresail.pipelines.backtest;
