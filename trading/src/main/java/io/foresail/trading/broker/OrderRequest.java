package io.foresail.trading.broker;

import io.foresail.core.error.InvalidInputException;

import java.util.Objects;

/**
 * An order to send. {@code clientOrderId} is the idempotency key: a broker that already has an
 * order with that id returns it instead of placing a second one. Quantity in shares, positive;
 * {@code limitPrice} in dollars, {@code NaN} for a market order.
 */
public record OrderRequest(String clientOrderId, String symbol, Side side, double quantity, OrderType type,
                           double limitPrice, TimeInForce timeInForce) {
    public OrderRequest {
        Objects.requireNonNull(clientOrderId, "clientOrderId");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timeInForce, "timeInForce");
        if (clientOrderId.isEmpty() || clientOrderId.length() > 128) {
            throw new InvalidInputException("client order id must be 1 to 128 characters, got " + clientOrderId.length());
        }
        if (!(quantity > 0) || Double.isInfinite(quantity)) {
            throw new InvalidInputException("order " + clientOrderId + " (" + symbol + "): quantity must be positive, got "
                    + quantity);
        }
        if (type == OrderType.LIMIT ? !(limitPrice > 0) || Double.isInfinite(limitPrice) : !Double.isNaN(limitPrice)) {
            throw new InvalidInputException("order " + clientOrderId + " (" + symbol + "): a " + type
                    + " order needs " + (type == OrderType.LIMIT ? "a positive limit price" : "no limit price") + ", got "
                    + limitPrice);
        }
    }

    public static OrderRequest market(String clientOrderId, String symbol, Side side, double quantity) {
        return new OrderRequest(clientOrderId, symbol, side, quantity, OrderType.MARKET, Double.NaN, TimeInForce.DAY);
    }

    public static OrderRequest limit(String clientOrderId, String symbol, Side side, double quantity, double limitPrice) {
        return new OrderRequest(clientOrderId, symbol, side, quantity, OrderType.LIMIT, limitPrice, TimeInForce.DAY);
    }

    /** The position change if filled in full: +quantity for a buy, -quantity for a sell. */
    public double signedQuantity() {
        return side.sign() * quantity;
    }
}
