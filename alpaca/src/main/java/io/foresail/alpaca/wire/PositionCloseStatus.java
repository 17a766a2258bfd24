package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One item of the 207 answer to {@code DELETE /v2/positions}: the symbol, the HTTP status of its
 * closing order, and that order (or an error body).
 */
public record PositionCloseStatus(@JsonProperty("symbol") String symbol, @JsonProperty("status") int status,
                                  @JsonProperty("body") Object body) {
}
