/**
 * Benchmarks that print machine-readable figures for docs/benchmarks.md, with their peers (Python
 * xgboost, PyTorch) in one run.
 */
package io.foresail.pipelines.bench;
