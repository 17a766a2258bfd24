package io.foresail.data.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The {@code manifest.json} of a bar store: what it holds and its fingerprint. It holds no
 * wall-clock time, so writing the same bars twice gives the same bytes.
 *
 * @param format         layout version, {@code foresail-bars/1}
 * @param calendar       the trading calendar the bars lie on (e.g. NYSE)
 * @param timeframe      bar length in Alpaca notation (e.g. {@code 15Min})
 * @param adjustment     relation to corporate actions
 * @param provenance     where the bars came from (source, seed, feed, parent store hash...), sorted by key
 * @param symbols        one entry per symbol, sorted by symbol
 * @param rows           total rows
 * @param first          earliest bar start over all symbols, null when empty
 * @param last           latest bar start over all symbols, null when empty
 * @param contentSha256  {@link ContentHash#combine} of the per-symbol content hashes
 */
@JsonPropertyOrder({"format", "calendar", "timeframe", "adjustment", "provenance", "rows", "first", "last",
        "content_sha256", "symbols"})
public record BarStoreManifest(
        @JsonProperty("format") String format,
        @JsonProperty("calendar") String calendar,
        @JsonProperty("timeframe") String timeframe,
        @JsonProperty("adjustment") Adjustment adjustment,
        @JsonProperty("provenance") SortedMap<String, String> provenance,
        @JsonProperty("rows") long rows,
        @JsonProperty("first") Instant first,
        @JsonProperty("last") Instant last,
        @JsonProperty("content_sha256") String contentSha256,
        @JsonProperty("symbols") List<SymbolEntry> symbols) {

    public static final String FORMAT = "foresail-bars/1";

    /**
     * One symbol's file in the store.
     *
     * @param file          path relative to the store root
     * @param fileSha256    SHA-256 of the file's bytes (integrity)
     * @param contentSha256 {@link ContentHash#of} the series (identity)
     */
    @JsonPropertyOrder({"symbol", "rows", "first", "last", "file", "file_sha256", "content_sha256"})
    public record SymbolEntry(
            @JsonProperty("symbol") String symbol,
            @JsonProperty("rows") long rows,
            @JsonProperty("first") Instant first,
            @JsonProperty("last") Instant last,
            @JsonProperty("file") String file,
            @JsonProperty("file_sha256") String fileSha256,
            @JsonProperty("content_sha256") String contentSha256) {
    }

    public Map<String, SymbolEntry> bySymbol() {
        Map<String, SymbolEntry> out = new java.util.LinkedHashMap<>();
        for (SymbolEntry e : symbols) {
            out.put(e.symbol(), e);
        }
        return out;
    }
}
