package io.foresail.trading.orders;

import io.foresail.trading.broker.OrderRequest;
import io.foresail.trading.broker.Side;

/**
 * One order the decision path wants sent: {@code quantity} shares (positive) of {@code symbol} on
 * {@code side}, with its deterministic client order id, and why: the position before (held plus
 * open orders) and the target it moves towards, in shares, at the decision's reference price.
 */
public record OrderIntent(String clientOrderId, String symbol, Side side, double quantity, double heldShares,
                          double targetShares, double referencePrice) {

    /** The intent as a market day order. */
    public OrderRequest toMarketOrder() {
        return OrderRequest.market(clientOrderId, symbol, side, quantity);
    }

    public double signedQuantity() {
        return side.sign() * quantity;
    }

    /** Dollars traded at the reference price, positive. */
    public double notional() {
        return quantity * referencePrice;
    }
}
