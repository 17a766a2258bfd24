package io.foresail.alpacasim.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpaca.wire.TradeUpdate;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection to the trade updates stream ({@code /stream}), as Alpaca's paper endpoint speaks it:
 * binary frames of UTF-8 JSON; nothing is sent before the client's {@code authenticate} is
 * answered ({@code authorization}: authorized or unauthorized); after {@code listen} on
 * {@code trade_updates} every order event of the account follows, in the order it happened.
 */
final class TradeUpdatesSession extends StreamSession {
    private volatile boolean authenticated;
    private volatile boolean listening;

    TradeUpdatesSession(SimServer server, WebSocketServerHandshaker handshaker) {
        super(server, handshaker, false);
    }

    @Override
    protected void onOpen() {
        // Alpaca sends nothing until the client authenticates.
    }

    @Override
    protected void onMessage(JsonNode m) {
        String action = m.path("action").asText("");
        JsonNode data = m.path("data");
        switch (action) {
            case "authenticate", "auth" -> {
                String key = data.path("key_id").asText(m.path("key").asText(null));
                String secret = data.path("secret_key").asText(m.path("secret").asText(null));
                authenticated = credentialsMatch(server.config(), key, secret);
                sendBinary(Map.of("stream", "authorization", "data", Map.of("status",
                        authenticated ? "authorized" : "unauthorized", "action", "authenticate")));
                if (!authenticated) {
                    channel.close();
                }
            }
            case "listen" -> {
                if (!authenticated) {
                    sendBinary(Map.of("stream", "authorization", "data", Map.of("status", "unauthorized",
                            "action", "listen")));
                    return;
                }
                List<String> streams = new java.util.ArrayList<>();
                data.path("streams").forEach(s -> streams.add(s.asText()));
                listening = streams.contains(TradeUpdate.STREAM);
                if (listening) {
                    server.tradeSessions.add(this);
                } else {
                    server.tradeSessions.remove(this);
                }
                Map<String, Object> reply = new LinkedHashMap<>();
                reply.put("stream", "listening");
                reply.put("data", Map.of("streams", listening ? List.of(TradeUpdate.STREAM) : List.of()));
                sendBinary(reply);
            }
            default -> sendBinary(Map.of("stream", "error", "data", Map.of("error_message", "invalid action: " + action)));
        }
    }

    @Override
    protected void onInvalid() {
        sendBinary(Map.of("stream", "error", "data", Map.of("error_message", "invalid syntax")));
    }

    @Override
    protected void onClose() {
        server.tradeSessions.remove(this);
    }

    void publish(TradeUpdate update) {
        if (listening && channel.isActive()
                && !server.faultState().stalled(io.foresail.alpacasim.fault.Faults.Stream.TRADE_UPDATES)) {
            sendBinary(update);
        }
    }
}
