package io.foresail.trading.broker;

import io.foresail.core.error.InvalidInputException;

import java.util.Objects;

/**
 * An order to send. {@code clientOrderId} is the idempotency key: a broker that already has an
 * order with that id returns it instead of placing a second one. Quantity in shares, positive;
 * {@code limitPrice} and {@code stopPrice} in dollars, {@code NaN} where the type has none.
 */
public record OrderRequest(String clientOrderId, String symbol, Side side, double quantity, OrderType type,
                           double limitPrice, double stopPrice, TimeInForce timeInForce) {
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
        if (type.hasLimit() ? !(limitPrice > 0) || Double.isInfinite(limitPrice) : !Double.isNaN(limitPrice)) {
            throw new InvalidInputException("order " + clientOrderId + " (" + symbol + "): a " + type
                    + " order needs " + (type.hasLimit() ? "a positive limit price" : "no limit price") + ", got "
                    + limitPrice);
        }
        if (type.hasStop() ? !(stopPrice > 0) || Double.isInfinite(stopPrice) : !Double.isNaN(stopPrice)) {
            throw new InvalidInputException("order " + clientOrderId + " (" + symbol + "): a " + type
                    + " order needs " + (type.hasStop() ? "a positive stop price" : "no stop price") + ", got " + stopPrice);
        }
        if ((timeInForce == TimeInForce.OPG || timeInForce == TimeInForce.CLS) && type.hasStop()) {
            throw new InvalidInputException("order " + clientOrderId + " (" + symbol + "): time in force " + timeInForce
                    + " takes market or limit orders, not " + type);
        }
    }

    /** An order without a stop price (market or limit). */
    public OrderRequest(String clientOrderId, String symbol, Side side, double quantity, OrderType type,
                        double limitPrice, TimeInForce timeInForce) {
        this(clientOrderId, symbol, side, quantity, type, limitPrice, Double.NaN, timeInForce);
    }

    public static OrderRequest market(String clientOrderId, String symbol, Side side, double quantity) {
        return new OrderRequest(clientOrderId, symbol, side, quantity, OrderType.MARKET, Double.NaN, TimeInForce.DAY);
    }

    public static OrderRequest limit(String clientOrderId, String symbol, Side side, double quantity, double limitPrice) {
        return new OrderRequest(clientOrderId, symbol, side, quantity, OrderType.LIMIT, limitPrice, TimeInForce.DAY);
    }

    /** The same order living as long as {@code tif} says. */
    public OrderRequest withTimeInForce(TimeInForce tif) {
        return new OrderRequest(clientOrderId, symbol, side, quantity, type, limitPrice, stopPrice, tif);
    }

    /** The position change if filled in full: +quantity for a buy, -quantity for a sell. */
    public double signedQuantity() {
        return side.sign() * quantity;
    }
}
