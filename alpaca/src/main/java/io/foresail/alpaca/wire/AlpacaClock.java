package io.foresail.alpaca.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.OffsetDateTime;

/**
 * The market clock ({@code GET /v2/clock}). Times carry New York's offset, as Alpaca sends them.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AlpacaClock(OffsetDateTime timestamp, boolean isOpen, OffsetDateTime nextOpen, OffsetDateTime nextClose) {
}
