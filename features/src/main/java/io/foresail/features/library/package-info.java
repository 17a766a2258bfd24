/**
 * The feature library: qlib Alpha158, technical indicators checked against ta4j, volatility
 * estimators, intraday and benchmark- or sector-relative features.
 */
package io.foresail.features.library;
