package io.foresail.trading.broker;

/**
 * A holding: {@code quantity} shares (negative for a short) entered at {@code averageEntryPrice}
 * dollars a share.
 */
public record Position(String symbol, double quantity, double averageEntryPrice) {
}
