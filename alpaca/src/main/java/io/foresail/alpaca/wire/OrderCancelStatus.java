package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One item of the 207 answer to {@code DELETE /v2/orders}: the order's id, the HTTP status of its
 * cancellation (200, or 422 when it could no longer be cancelled) and the order or an error body.
 */
public record OrderCancelStatus(@JsonProperty("id") String id, @JsonProperty("status") int status,
                                @JsonProperty("body") Object body) {
}
