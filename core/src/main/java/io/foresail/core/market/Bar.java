package io.foresail.core.market;

import java.time.Instant;
import java.util.Objects;

/**
 * One OHLCV bar of one symbol.
 *
 * <p>{@code start} is the bar's START time in UTC, as Alpaca stamps bars; the bar becomes known at
 * {@code start + timeframe}. Prices are in the quote currency (USD) per share, volume in shares,
 * {@code vwap} is NaN when the source does not provide it. A {@code Bar} carries values as they
 * are; whether they are valid is decided by the bar-store validator, not here, so that invalid
 * rows can be read, reported and quarantined instead of failing on construction.
 */
public record Bar(
        String symbol,
        Instant start,
        double open,
        double high,
        double low,
        double close,
        double volume,
        double vwap,
        long tradeCount) {

    public Bar {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(start, "start");
    }
}
