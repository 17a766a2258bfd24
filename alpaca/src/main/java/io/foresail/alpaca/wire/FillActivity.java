package io.foresail.alpaca.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A FILL account activity ({@code GET /v2/account/activities/FILL}): one execution, with
 * {@code qty} and {@code price} for this execution, {@code cumQty} and {@code leavesQty} of its
 * order after it, and {@code type} "fill" or "partial_fill".
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FillActivity(String id, String activityType, Instant transactionTime, String type, BigDecimal price,
                           BigDecimal qty, AlpacaSide side, String symbol, BigDecimal leavesQty, String orderId,
                           BigDecimal cumQty, AlpacaOrderStatus orderStatus) {
}
