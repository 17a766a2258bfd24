package io.foresail.alpaca.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One trading day ({@code GET /v2/calendar}): {@code date} as yyyy-MM-dd, {@code open} and
 * {@code close} the regular session as HH:mm in New York time (early closes included),
 * {@code sessionOpen}/{@code sessionClose} the extended session as HHmm.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AlpacaCalendarDay(String date, String open, String close, String sessionOpen, String sessionClose,
                                String settlementDate) {
}
