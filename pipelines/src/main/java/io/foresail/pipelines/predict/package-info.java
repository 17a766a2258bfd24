/**
 * Batch prediction for research and the backtest: a registered model version over a whole feature
 * set (or a time range of it), written as a Parquet prediction file. The rows it scores and the
 * scores it gives are the live path's for the same bars (parity-tested against the inference module).
 */
package io.foresail.pipelines.predict;
