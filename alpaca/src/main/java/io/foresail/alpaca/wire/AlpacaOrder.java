package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order as Alpaca's Trading API returns it ({@code Order} in the spec). Ids are UUIDs;
 * {@code qty} is null for a notional order until it fills; {@code filledQty} and
 * {@code filledAvgPrice} are cumulative; {@code replaces}/{@code replacedBy} link the orders of a
 * replacement. {@code type} and {@code orderType} carry the same value, as Alpaca sends both.
 * {@code expiresAt} and {@code positionIntent} are left out when unset (the spec does not let them be null).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AlpacaOrder(String id, String clientOrderId, Instant createdAt, Instant updatedAt, Instant submittedAt,
                          Instant filledAt, Instant expiredAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Instant expiresAt, Instant canceledAt,
                          Instant cancelRequestedAt, Instant failedAt, Instant replacedAt, String replacedBy,
                          String replaces, String assetId, String symbol, String assetClass, BigDecimal notional,
                          BigDecimal qty, BigDecimal filledQty, BigDecimal filledAvgPrice, String orderClass,
                          AlpacaOrderType orderType, AlpacaOrderType type, AlpacaSide side,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String positionIntent,
                          AlpacaTimeInForce timeInForce, BigDecimal limitPrice, BigDecimal stopPrice,
                          AlpacaOrderStatus status, boolean extendedHours, List<AlpacaOrder> legs,
                          BigDecimal trailPercent, BigDecimal trailPrice, BigDecimal hwm, BigDecimal ratioQty,
                          String source, String subtag) {
}
