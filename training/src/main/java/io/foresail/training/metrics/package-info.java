/**
 * Out-of-sample evaluation: IC, rank IC, ICIR, AUC, hit rate and the decile long-short portfolio's
 * Sharpe, gross and net of costs.
 */
package io.foresail.training.metrics;
