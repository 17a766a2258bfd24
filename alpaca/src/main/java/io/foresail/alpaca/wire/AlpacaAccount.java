package io.foresail.alpaca.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The trading account ({@code GET /v2/account}): money in US dollars as decimals, the blocks
 * that stop trading, and the margin figures Alpaca reports.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AlpacaAccount(String id, String accountNumber, String status, String cryptoStatus, Integer cryptoTier,
                            String currency, BigDecimal buyingPower, BigDecimal regtBuyingPower,
                            BigDecimal daytradingBuyingPower, BigDecimal effectiveBuyingPower,
                            BigDecimal nonMarginableBuyingPower, BigDecimal optionsBuyingPower, BigDecimal cash,
                            BigDecimal accruedFees, BigDecimal pendingTransferIn, BigDecimal pendingTransferOut,
                            BigDecimal portfolioValue, Boolean patternDayTrader, Boolean tradingBlocked,
                            Boolean transfersBlocked, Boolean accountBlocked, Instant createdAt,
                            Boolean tradeSuspendedByUser, BigDecimal multiplier, Boolean shortingEnabled,
                            BigDecimal equity, BigDecimal lastEquity, BigDecimal longMarketValue,
                            BigDecimal shortMarketValue, BigDecimal positionMarketValue, BigDecimal initialMargin,
                            BigDecimal maintenanceMargin, BigDecimal lastMaintenanceMargin, BigDecimal sma,
                            Integer daytradeCount, String balanceAsof, BigDecimal intradayAdjustments,
                            BigDecimal pendingRegTafFees, Integer optionsApprovedLevel, Integer optionsTradingLevel,
                            Map<String, Object> adminConfigurations, Map<String, Object> userConfigurations) {
}
