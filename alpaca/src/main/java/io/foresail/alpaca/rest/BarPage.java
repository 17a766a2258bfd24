package io.foresail.alpaca.rest;

import io.foresail.core.market.Bar;
import java.util.List;
import java.util.Map;

/** One page of {@code GET /v2/stocks/bars}: bars per symbol in the order sent, and the next page's token (null at the end). */
public record BarPage(Map<String, List<Bar>> bars, String nextPageToken) {
}
