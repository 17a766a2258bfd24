package io.foresail.alpaca.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v2/orders} ({@code CreateOrderRequest} in the spec). Exactly one of
 * {@code qty} and {@code notional}; {@code limitPrice} for limit and stop-limit orders,
 * {@code stopPrice} for stop and stop-limit orders; {@code clientOrderId} at most 128 characters
 * and unique for the account forever.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateOrder(String symbol, BigDecimal qty, BigDecimal notional, AlpacaSide side, AlpacaOrderType type,
                          AlpacaTimeInForce timeInForce, BigDecimal limitPrice, BigDecimal stopPrice,
                          BigDecimal trailPrice, BigDecimal trailPercent, Boolean extendedHours, String clientOrderId,
                          String orderClass, Map<String, BigDecimal> takeProfit, Map<String, BigDecimal> stopLoss,
                          String positionIntent, List<Map<String, Object>> legs,
                          Map<String, Object> advancedInstructions) {
}
