package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * One bar as the Market Data API sends it: {@code t} the bar's START (UTC), prices in dollars as
 * JSON numbers, {@code v} shares, {@code n} trades, {@code vw} the volume-weighted price. On the
 * stream a bar also carries {@code T} = "b" and its symbol {@code S}; in REST pages both are absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlpacaBar(@JsonProperty("T") String type, @JsonProperty("S") String symbol, @JsonProperty("t") Instant t,
                        @JsonProperty("o") double o, @JsonProperty("h") double h, @JsonProperty("l") double l,
                        @JsonProperty("c") double c, @JsonProperty("v") long v, @JsonProperty("n") long n,
                        @JsonProperty("vw") double vw) {
    /** A bar for a REST page (no type or symbol fields). */
    public static AlpacaBar rest(Instant t, double o, double h, double l, double c, long v, long n, double vw) {
        return new AlpacaBar(null, null, t, o, h, l, c, v, n, vw);
    }

    /** The same bar as a stream message for {@code symbol}. */
    public AlpacaBar onStream(String symbol) {
        return new AlpacaBar("b", symbol, t, o, h, l, c, v, n, vw);
    }
}
