package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A page of {@code GET /v2/stocks/bars}: bars per symbol (symbols in request order, bars in time
 * order), and the token of the next page, null on the last. {@code limit} caps the bars across
 * all symbols, so a page may hold few symbols.
 */
public record BarsPage(@JsonProperty("bars") Map<String, List<AlpacaBar>> bars,
                       @JsonProperty("next_page_token") @JsonInclude(JsonInclude.Include.ALWAYS) String nextPageToken,
                       @JsonProperty("currency") @JsonInclude(JsonInclude.Include.NON_NULL) String currency) {
}
