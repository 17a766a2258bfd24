package io.foresail.trading.broker;

import java.time.Instant;

/**
 * One execution: {@code quantity} shares (this execution only, positive) at {@code price}, with
 * the fees the venue charged for it in dollars. {@code executionId} is unique per execution; a
 * consumer deduplicates on it (streams may repeat events).
 */
public record Fill(String executionId, String orderId, String clientOrderId, String symbol, Side side, double quantity,
                   double price, double fees, Instant at) {

    /** Position change: +quantity for a buy, -quantity for a sell. */
    public double signedQuantity() {
        return side.sign() * quantity;
    }

    /** Dollars of stock bought (positive) or sold (negative), before fees. */
    public double notional() {
        return signedQuantity() * price;
    }
}
