package io.foresail.alpacasim.fault;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * One fault to inject, as the control API ({@code POST /sim/faults}) and the fault file take it.
 * {@code kind} is one of {@link #KINDS}; the other fields are its parameters (unused ones null):
 * <pre>
 * stream_drop          stream: market_data|trade_updates, mode: close|reset
 * stream_stall         stream, seconds: the connections stay open and send nothing (what they miss is lost)
 * reconnect_406        seconds: market data connections authenticating within that time get 406
 * slow_client          market data connections are cut off with 407, as a client that cannot keep up
 * rate_limit_burst     the rest of the minute's requests answer 429 (with the X-RateLimit headers)
 * http_5xx             count, status (500, 502, 503, 504): the next requests fail without executing
 * lost_response        count: the next order submissions are executed but their responses lost
 * duplicate_updates    probability: each trade update sent twice
 * out_of_order_updates probability: a trade update held back and sent after the next one
 * delayed_fills        minutes: orders from now on wait that many more minutes before they can fill
 * partial_fills        probability: share of executions that fill only in part
 * reject_orders        count: the next orders are accepted, then rejected
 * halt                 symbol, halted: trading in the symbol stops (or resumes)
 * </pre>
 * In a fault file each entry also has {@code at}: the market time it fires at (RFC 3339).
 */
public record FaultSpec(@JsonProperty("at") Instant at, @JsonProperty("kind") String kind,
                        @JsonProperty("stream") String stream, @JsonProperty("mode") String mode,
                        @JsonProperty("seconds") Double seconds, @JsonProperty("count") Integer count,
                        @JsonProperty("status") Integer status, @JsonProperty("probability") Double probability,
                        @JsonProperty("minutes") Integer minutes, @JsonProperty("symbol") String symbol,
                        @JsonProperty("halted") Boolean halted) {
    public static final List<String> KINDS = List.of("stream_drop", "stream_stall", "reconnect_406", "slow_client",
            "rate_limit_burst", "http_5xx", "lost_response", "duplicate_updates", "out_of_order_updates", "delayed_fills",
            "partial_fills", "reject_orders", "halt");

    /** Checks the kind and its parameters; the message names the field and what is wrong. */
    public FaultSpec {
        if (kind == null || !KINDS.contains(kind)) {
            throw new IllegalArgumentException("fault kind '" + kind + "' is not one of " + KINDS);
        }
        switch (kind) {
            case "stream_drop" -> {
                requireStream(kind, stream);
                mode = mode == null ? "close" : mode;
                if (!mode.equals("close") && !mode.equals("reset")) {
                    throw new IllegalArgumentException("stream_drop.mode must be close or reset, got '" + mode + "'");
                }
            }
            case "stream_stall" -> {
                requireStream(kind, stream);
                requirePositive(kind + ".seconds", seconds);
            }
            case "reconnect_406" -> requirePositive(kind + ".seconds", seconds);
            case "http_5xx" -> {
                count = count == null ? 1 : count;
                status = status == null ? 500 : status;
                if (status < 500 || status > 599) {
                    throw new IllegalArgumentException("http_5xx.status must be 500..599, got " + status);
                }
                requirePositive(kind + ".count", count.doubleValue());
            }
            case "lost_response", "reject_orders" -> {
                count = count == null ? 1 : count;
                requirePositive(kind + ".count", count.doubleValue());
            }
            case "duplicate_updates", "out_of_order_updates", "partial_fills" -> {
                if (probability == null || !(probability >= 0 && probability <= 1)) {
                    throw new IllegalArgumentException(kind + ".probability must be in [0, 1], got " + probability);
                }
            }
            case "delayed_fills" -> {
                if (minutes == null || minutes < 0) {
                    throw new IllegalArgumentException("delayed_fills.minutes must be 0 or more, got " + minutes);
                }
            }
            case "halt" -> {
                if (symbol == null) {
                    throw new IllegalArgumentException("halt.symbol is required");
                }
                halted = halted == null || halted;
            }
            default -> {
            }
        }
    }

    private static void requireStream(String kind, String stream) {
        if (!"market_data".equals(stream) && !"trade_updates".equals(stream)) {
            throw new IllegalArgumentException(kind + ".stream must be market_data or trade_updates, got '" + stream + "'");
        }
    }

    private static void requirePositive(String field, Double v) {
        if (v == null || !(v > 0)) {
            throw new IllegalArgumentException(field + " must be positive, got " + v);
        }
    }
}
