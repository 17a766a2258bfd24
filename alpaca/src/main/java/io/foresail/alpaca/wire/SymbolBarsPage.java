package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** A page of {@code GET /v2/stocks/{symbol}/bars}: one symbol's bars and the next page's token (null on the last). */
public record SymbolBarsPage(@JsonProperty("bars") List<AlpacaBar> bars, @JsonProperty("symbol") String symbol,
                             @JsonProperty("next_page_token") String nextPageToken) {
}
