package io.foresail.alpaca.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.util.Map;

/** The body of {@code PATCH /v2/orders/{id}} ({@code PatchOrderRequest}): the fields to change, each optional. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReplaceOrder(BigDecimal qty, AlpacaTimeInForce timeInForce, BigDecimal limitPrice, BigDecimal stopPrice,
                           BigDecimal trail, String clientOrderId, BigDecimal notional,
                           Map<String, Object> advancedInstructions) {
}
