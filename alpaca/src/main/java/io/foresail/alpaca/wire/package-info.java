/**
 * Alpaca's wire protocol as immutable records, field for field as in Alpaca's OpenAPI specs:
 * the Trading API v2 (orders, account, positions, clock, calendar, assets, account activities,
 * multi-status items, error bodies), the Market Data API v2 bars, and the trade updates stream.
 *
 * <p>Conventions (see {@link io.foresail.alpaca.wire.AlpacaJson}): money, prices and quantities
 * are {@link java.math.BigDecimal}, written as JSON strings and read from strings or numbers;
 * timestamps are {@link java.time.Instant} (UTC), read from RFC 3339 with any offset and written
 * with nanoseconds and {@code Z}; bars' prices are JSON numbers, as Alpaca serves them; enums
 * carry Alpaca's exact lower-case values.
 */
package io.foresail.alpaca.wire;
