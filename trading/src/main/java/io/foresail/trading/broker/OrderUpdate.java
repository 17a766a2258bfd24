package io.foresail.trading.broker;

/**
 * An event about one order, as a broker publishes it: the order after the event, and the fill
 * when the event is one ({@code null} otherwise).
 */
public record OrderUpdate(Kind kind, Order order, Fill fill) {

    /** What happened, Alpaca's trade update events that change the book. */
    public enum Kind {
        NEW, PARTIAL_FILL, FILL, CANCELED, EXPIRED, REPLACED, REJECTED
    }
}
