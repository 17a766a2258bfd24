package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Alpaca's error body: an 8-digit {@code code} whose first three digits are the HTTP status
 * (40310000 insufficient buying power, 42210000 invalid request, 40410000 not found, ...), and a
 * human-readable {@code message}. Never carries credentials.
 */
public record AlpacaError(@JsonProperty("code") int code, @JsonProperty("message") String message) {
    /** The HTTP status the code stands for. */
    public int httpStatus() {
        return code / 100_000;
    }
}
