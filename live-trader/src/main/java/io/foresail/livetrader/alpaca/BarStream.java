package io.foresail.livetrader.alpaca;

import io.foresail.alpaca.rest.AlpacaCredentials;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpaca.wire.AlpacaJson;
import io.foresail.core.market.Bar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Alpaca's market data stream, kept up: {@code auth}, {@code subscribe} to minute bars of the
 * universe, each bar handed to the consumer; on a close, a reset or an error it connects again with
 * back-off and jitter, and on 406 (connection limit: an earlier connection still counts) it waits
 * {@code connectionLimitWait} before trying, rather than hammering. After each subscription
 * {@code onSubscribed} runs, so the owner can backfill what it missed. The caller closes it.
 */
public final class BarStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BarStream.class);

    private final URI uri;
    private final AlpacaCredentials credentials;
    private final List<String> symbols;
    private final Consumer<Bar> minutes;
    private final Runnable onSubscribed;
    private final Duration connectionLimitWait;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Reconnector reconnector = new Reconnector("bar stream", this::connect);
    private volatile WebSocket socket;
    private volatile Listener current;
    private volatile boolean closed;
    private volatile boolean subscribed;
    private long refused406;

    public BarStream(URI uri, AlpacaCredentials credentials, List<String> symbols, Consumer<Bar> minutes,
                     Runnable onSubscribed, Duration connectionLimitWait) {
        this.uri = uri;
        this.credentials = credentials;
        this.symbols = List.copyOf(symbols);
        this.minutes = minutes;
        this.onSubscribed = onSubscribed;
        this.connectionLimitWait = connectionLimitWait;
    }

    public BarStream start() {
        connect();
        return this;
    }

    /**
     * Drops the connection and makes a new one (after the usual back-off): for a connection that
     * stays open but has gone silent, which only the caller's clock can tell.
     */
    public void reconnect(String why) {
        WebSocket ws = socket;
        Listener l = current;
        if (ws != null && l != null && !closed) {
            l.drop(ws, why);
        }
    }

    public boolean subscribed() {
        return subscribed;
    }

    /** Reconnections and 406 refusals so far. */
    public synchronized Map<String, Long> counters() {
        return Map.of("reconnects", reconnector.reconnects(), "connection_limit_406", refused406);
    }

    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(10);

    private void connect() {
        if (closed) {
            return;
        }
        Listener listener = new Listener();
        current = listener;
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, listener)
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        retry("connect failed: " + e.getClass().getSimpleName(), null);
                    } else {
                        socket = ws;
                        // A server that accepts and then stays silent must not leave the stream dead.
                        CompletableFuture.delayedExecutor(LOGIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                            if (!closed && socket == ws && !subscribed) {
                                LOG.warn("bar stream: not subscribed {} after connecting; dropping the connection",
                                        LOGIN_TIMEOUT);
                                listener.drop(ws, "not subscribed within " + LOGIN_TIMEOUT);
                            }
                        });
                    }
                });
    }

    private void retry(String why, Duration atLeast) {
        subscribed = false;
        if (!closed) {
            reconnector.schedule(why, atLeast);
        }
    }

    /** Handles one message; true when the server refused the connection for the limit (406). */
    private boolean onMessage(WebSocket ws, Listener listener, byte[] json) throws IOException {
        JsonNode array = AlpacaJson.MAPPER.readTree(json);
        for (JsonNode m : array) {
            switch (m.path("T").asText()) {
                case "success" -> {
                    if (m.path("msg").asText().equals("connected")) {
                        listener.send(ws, AlpacaJson.write(Map.of("action", "auth", "key", credentials.keyId(),
                                "secret", credentials.secretKey())));
                    } else if (m.path("msg").asText().equals("authenticated")) {
                        listener.send(ws, AlpacaJson.write(Map.of("action", "subscribe", "bars", symbols)));
                    }
                }
                case "subscription" -> {
                    reconnector.succeeded();
                    subscribed = true;
                    onSubscribed.run();
                }
                case "b" -> minutes.accept(new Bar(m.path("S").asText(), Instant.parse(m.path("t").asText()),
                        m.path("o").asDouble(), m.path("h").asDouble(), m.path("l").asDouble(), m.path("c").asDouble(),
                        m.path("v").asDouble(), m.path("vw").asDouble(), m.path("n").asLong()));
                case "error" -> {
                    int code = m.path("code").asInt();
                    if (code == 406) {
                        synchronized (this) {
                            refused406++;
                        }
                        return true;
                    }
                    LOG.warn("bar stream: error {} {}", code, m.path("msg").asText());
                    if (code == 402 || code == 401) {
                        LOG.error("bar stream: authentication refused (check the API keys; they are not logged)");
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        reconnector.close();
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    private final class Listener extends WholeMessages {
        private Duration wait;

        @Override
        protected boolean message(WebSocket ws, byte[] json) {
            try {
                if (onMessage(ws, this, json)) {
                    wait = connectionLimitWait; // 406: an earlier connection still counts; do not hammer
                    drop(ws, "406 connection limit exceeded");
                    return false;
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("bar stream: unreadable message ({})", e.toString());
            }
            return true;
        }

        @Override
        protected void lost(String why) {
            retry(why, wait);
        }
    }
}
