package io.foresail.alpacasim.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpaca.wire.AlpacaBar;
import io.foresail.core.market.Bar;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A connection to the market data stream ({@code /v2/iex}, {@code /v2/sip}), speaking Alpaca's
 * protocol: JSON arrays in text frames (or MessagePack in binary frames, when asked for); {@code connected} on open, then {@code auth} (one
 * connection per key: a second gets 406), {@code subscribe}/{@code unsubscribe} to minute bars
 * ({@code "*"} for all), and bars as {@code {"T":"b",...}} when each minute ends. Errors as
 * Alpaca sends them: 400 invalid syntax, 401 not authenticated, 402 auth failed, 404 auth timeout,
 * 406 connection limit exceeded, 407 slow client.
 */
final class MarketDataSession extends StreamSession {
    private static final long AUTH_TIMEOUT_SECONDS = 10;
    private volatile boolean authenticated;
    private volatile boolean all;
    private final Set<String> bars = java.util.concurrent.ConcurrentHashMap.newKeySet();

    MarketDataSession(SimServer server, WebSocketServerHandshaker handshaker, boolean msgpack) {
        super(server, handshaker, msgpack);
    }

    @Override
    protected void onOpen() {
        sendText(List.of(Map.of("T", "success", "msg", "connected")));
        channel.eventLoop().schedule(() -> {
            if (!authenticated && channel.isActive()) {
                closeAfter(List.of(error(404, "auth timeout")), false);
            }
        }, AUTH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void onMessage(JsonNode m) {
        String action = m.path("action").asText("");
        switch (action) {
            case "auth" -> {
                if (authenticated) {
                    sendText(List.of(error(403, "already authenticated")));
                } else if (!credentialsMatch(server.config(), m.path("key").asText(null), m.path("secret").asText(null))) {
                    sendText(List.of(error(402, "auth failed")));
                } else if (server.faultState().reject406()
                        || server.marketDataSessions.stream().anyMatch(s -> s.authenticated)) {
                    server.simulator().ledger().fault("connection_limit_406");
                    closeAfter(List.of(error(406, "connection limit exceeded")), false);
                } else {
                    authenticated = true;
                    server.marketDataSessions.add(this);
                    sendText(List.of(Map.of("T", "success", "msg", "authenticated")));
                }
            }
            case "subscribe", "unsubscribe" -> {
                if (!authenticated) {
                    sendText(List.of(error(401, "not authenticated")));
                    return;
                }
                boolean add = action.equals("subscribe");
                for (JsonNode s : m.path("bars")) {
                    String symbol = s.asText();
                    if (symbol.equals("*")) {
                        all = add;
                    } else if (add) {
                        bars.add(symbol);
                    } else {
                        bars.remove(symbol);
                    }
                }
                sendText(List.of(subscription()));
            }
            default -> sendText(List.of(error(400, "invalid syntax")));
        }
    }

    @Override
    protected void onInvalid() {
        sendText(List.of(error(400, "invalid syntax")));
    }

    @Override
    protected void onClose() {
        server.marketDataSessions.remove(this);
    }

    private Map<String, Object> subscription() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("T", "subscription");
        out.put("trades", List.of());
        out.put("quotes", List.of());
        List<String> list = new ArrayList<>();
        if (all) {
            list.add("*");
        }
        list.addAll(new LinkedHashSet<>(bars));
        out.put("bars", list);
        out.put("updatedBars", List.of());
        out.put("dailyBars", List.of());
        out.put("statuses", List.of());
        out.put("lulds", List.of());
        out.put("corrections", List.of());
        out.put("cancelErrors", List.of());
        return out;
    }

    private static Map<String, Object> error(int code, String msg) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("T", "error");
        out.put("code", code);
        out.put("msg", msg);
        return out;
    }

    /** Cuts the connection off as Alpaca does a client that cannot keep up: error 407, then close. */
    void cutOffAsSlow() {
        server.simulator().ledger().fault("slow_client_407");
        server.marketDataSessions.remove(this);
        closeAfter(List.of(error(407, "slow client")), false);
    }

    /** Sends this minute's bars of the subscribed symbols; a client that cannot keep up is cut off with 407. */
    void publish(List<Bar> minute) {
        if (!authenticated || !all && bars.isEmpty()
                || server.faultState().stalled(io.foresail.alpacasim.fault.Faults.Stream.MARKET_DATA)) {
            return;
        }
        List<AlpacaBar> out = new ArrayList<>();
        for (Bar b : minute) {
            if (all || bars.contains(b.symbol())) {
                out.add(Routes.rest(b).onStream(b.symbol()));
            }
        }
        if (out.isEmpty()) {
            return;
        }
        if (!channel.isWritable()) {
            cutOffAsSlow();
            return;
        }
        sendText(out);
    }
}
