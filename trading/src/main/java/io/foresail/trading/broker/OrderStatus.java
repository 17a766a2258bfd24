package io.foresail.trading.broker;

/**
 * An order's state, the subset of Alpaca's statuses the decision path tells apart. A venue
 * adapter maps the others onto these (e.g. {@code pending_new} and {@code accepted} to {@link #NEW},
 * {@code done_for_day} to {@link #EXPIRED}).
 */
public enum OrderStatus {
    NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, REPLACED, REJECTED;

    /** Whether the order can still fill. */
    public boolean isOpen() {
        return this == NEW || this == PARTIALLY_FILLED;
    }
}
