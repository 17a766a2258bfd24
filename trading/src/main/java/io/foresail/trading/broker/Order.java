package io.foresail.trading.broker;

import java.time.Instant;

/**
 * A broker's view of one order at one moment. Quantities in shares; {@code averageFillPrice} is
 * the volume-weighted price of the fills so far ({@code NaN} before the first). Immutable: the
 * broker publishes a new value with each change.
 */
public record Order(String id, String clientOrderId, String symbol, Side side, double quantity, double filledQuantity,
                    double averageFillPrice, OrderType type, double limitPrice, double stopPrice,
                    TimeInForce timeInForce, OrderStatus status, Instant submittedAt, Instant updatedAt) {

    /** Shares still to fill while the order is open, 0 once it is done. */
    public double remaining() {
        return status.isOpen() ? quantity - filledQuantity : 0;
    }

    /** The open remainder as a signed position change. */
    public double signedRemaining() {
        return side.sign() * remaining();
    }

    public Order with(OrderStatus newStatus, double filled, double averagePrice, Instant at) {
        return new Order(id, clientOrderId, symbol, side, quantity, filled, averagePrice, type, limitPrice, stopPrice,
                timeInForce, newStatus, submittedAt, at);
    }
}
