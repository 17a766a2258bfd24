package io.foresail.livetrader.alpaca;

import io.foresail.trading.broker.BrokerException;

/**
 * An order not sent again after an unanswered attempt, because its sender no longer wants it
 * (the kill switch was engaged meanwhile); the broker confirmed by its client order id that it was
 * never placed. Not a refusal by the venue.
 */
public final class OrderWithdrawnException extends BrokerException {
    public OrderWithdrawnException(String clientOrderId) {
        super("order " + clientOrderId + " withdrawn before a resend (confirmed absent by its client_order_id)", 0, false);
    }
}
