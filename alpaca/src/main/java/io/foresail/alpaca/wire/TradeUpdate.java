package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A message of the trade updates stream: {@code {"stream": "trade_updates", "data": {...}}}. */
public record TradeUpdate(@JsonProperty("stream") String stream, @JsonProperty("data") Event data) {
    public static final String STREAM = "trade_updates";

    /** The message for {@code event}. */
    public static TradeUpdate of(Event event) {
        return new TradeUpdate(STREAM, event);
    }

    /**
     * One order event: {@code event} is new, fill, partial_fill, canceled, expired, replaced,
     * rejected, done_for_day, ...; for fills {@code executionId}, {@code qty} and {@code price} are
     * this execution's and {@code positionQty} the position after it, while the embedded order's
     * fill fields are cumulative.
     */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Event(String event, String executionId, AlpacaOrder order, java.math.BigDecimal positionQty,
                        java.math.BigDecimal price, java.math.BigDecimal qty, java.time.Instant timestamp) {
    }
}
