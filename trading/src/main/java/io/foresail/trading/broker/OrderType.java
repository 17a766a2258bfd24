package io.foresail.trading.broker;

/**
 * How an order prices its fills. Market orders fill at the next available price; limit orders
 * only at their limit or better; a stop order becomes a market order once the price trades
 * through its stop; a stop-limit order becomes a limit order there.
 */
public enum OrderType {
    MARKET, LIMIT, STOP, STOP_LIMIT;

    /** Whether the order carries a limit price. */
    public boolean hasLimit() {
        return this == LIMIT || this == STOP_LIMIT;
    }

    /** Whether the order carries a stop price. */
    public boolean hasStop() {
        return this == STOP || this == STOP_LIMIT;
    }
}
