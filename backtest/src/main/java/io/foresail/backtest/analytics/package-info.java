/** The figures of a backtest ({@code Performance}), with empyrical's conventions. */
package io.foresail.backtest.analytics;
