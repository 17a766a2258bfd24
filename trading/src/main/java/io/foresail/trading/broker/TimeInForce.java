package io.foresail.trading.broker;

/**
 * How long an order lives. {@code DAY} expires at the session's close (Alpaca requires it of
 * fractional orders); {@code GTC} lives until filled or cancelled.
 */
public enum TimeInForce {
    DAY, GTC
}
