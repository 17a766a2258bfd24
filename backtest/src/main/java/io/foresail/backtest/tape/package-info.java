/**
 * What a replay reads, as arrays on one time axis: {@code BarTape} (the universe's bars and the
 * benchmark's closes) and {@code ScoreTape} (the scores for each decision). Files stay outside
 * the module; {@code pipelines} builds tapes from bar stores and prediction files.
 */
package io.foresail.backtest.tape;
