package io.foresail.alpaca.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;

/**
 * An open position ({@code GET /v2/positions}): {@code qty} negative for a short with
 * {@code side} "short"; prices and values in dollars; {@code *Plpc} are fractions (0.01 = 1 %).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AlpacaPosition(String assetId, String symbol, String exchange, String assetClass, Boolean assetMarginable,
                             BigDecimal avgEntryPrice, BigDecimal qty, BigDecimal qtyAvailable, String side,
                             BigDecimal marketValue, BigDecimal costBasis, BigDecimal unrealizedPl,
                             BigDecimal unrealizedPlpc, BigDecimal unrealizedIntradayPl,
                             BigDecimal unrealizedIntradayPlpc, BigDecimal currentPrice, BigDecimal lastdayPrice,
                             BigDecimal changeToday) {
}
