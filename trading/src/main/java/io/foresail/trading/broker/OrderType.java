package io.foresail.trading.broker;

/** Market orders fill at the next available price; limit orders only at their limit or better. */
public enum OrderType {
    MARKET, LIMIT
}
