package io.foresail.livetrader.alpaca;

import io.foresail.alpaca.rest.AlpacaCredentials;

import io.foresail.alpaca.wire.AlpacaJson;
import io.foresail.alpaca.wire.TradeUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A connection to Alpaca's trade updates stream that stays up: authenticate, listen, hand each
 * event to the consumer in arrival order; when the connection closes, breaks or refuses, connect
 * again with exponential back-off and jitter, and after every (re)connection call {@code onConnected}
 * so the owner can reconcile what it missed while away. The caller closes it.
 */
final class TradeUpdateStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TradeUpdateStream.class);

    private final URI uri;
    private final AlpacaCredentials credentials;
    private final Consumer<TradeUpdate.Event> events;
    private final Runnable onConnected;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Reconnector reconnector = new Reconnector("trade updates", this::connect);
    private volatile WebSocket socket;
    private volatile Duration loginTimeout = Duration.ofSeconds(10);
    private volatile boolean closed;
    private volatile CompletableFuture<Void> listening = new CompletableFuture<>();

    TradeUpdateStream(URI uri, AlpacaCredentials credentials, Consumer<TradeUpdate.Event> events, Runnable onConnected) {
        this.uri = uri;
        this.credentials = credentials;
        this.events = events;
        this.onConnected = onConnected;
    }

    /**
     * Connects and waits until the stream listens (or {@code timeout} passes). A connection that
     * has not reached listening within {@code timeout} (a server that accepts and then stays
     * silent) is dropped and made again, now and on every reconnection.
     */
    void start(Duration timeout) {
        loginTimeout = timeout;
        connect();
        try {
            listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("trade updates: not listening within {} ({}); reconnecting in the background", timeout, e.toString());
        }
    }

    /** Reconnections so far (for metrics and tests). */
    long reconnects() {
        return reconnector.reconnects();
    }

    boolean isListening() {
        return listening.isDone() && !listening.isCompletedExceptionally() && socket != null && !socket.isOutputClosed();
    }

    private void connect() {
        if (closed) {
            return;
        }
        Listener listener = new Listener();
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, listener)
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        retry("connect failed: " + e.getClass().getSimpleName());
                    } else {
                        socket = ws;
                        listener.send(ws, AlpacaJson.write(Map.of("action", "authenticate", "data",
                                Map.of("key_id", credentials.keyId(), "secret_key", credentials.secretKey()))));
                        CompletableFuture<Void> attempt = listening;
                        CompletableFuture.delayedExecutor(loginTimeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                            if (!closed && attempt == listening && !attempt.isDone() && socket == ws) {
                                LOG.warn("trade updates: not listening {} after connecting; dropping the connection",
                                        loginTimeout);
                                listener.drop(ws, "not listening within " + loginTimeout);
                            }
                        });
                    }
                });
    }

    private synchronized void retry(String why) {
        if (closed) {
            return;
        }
        if (listening.isDone()) {
            listening = new CompletableFuture<>();
        }
        reconnector.schedule(why, null);
    }

    private void onMessage(WebSocket ws, Listener listener, byte[] json) {
        TradeUpdate.Event e;
        String stream;
        try {
            var tree = AlpacaJson.MAPPER.readTree(json);
            stream = tree.path("stream").asText("");
            switch (stream) {
                case "authorization" -> {
                    if ("authorized".equals(tree.path("data").path("status").asText())) {
                        listener.send(ws, AlpacaJson.write(Map.of("action", "listen", "data",
                                Map.of("streams", java.util.List.of(TradeUpdate.STREAM)))));
                    } else {
                        LOG.error("trade updates: not authorized (check the API keys; they are not logged)");
                        listener.drop(ws, "not authorized");
                    }
                    return;
                }
                case "listening" -> {
                    reconnector.succeeded();
                    listening.complete(null);
                    onConnected.run();
                    return;
                }
                case TradeUpdate.STREAM -> e = AlpacaJson.MAPPER.treeToValue(tree.get("data"), TradeUpdate.Event.class);
                default -> {
                    LOG.debug("trade updates: ignoring a {} message", stream);
                    return;
                }
            }
        } catch (IOException ex) {
            LOG.warn("trade updates: unreadable message ({})", ex.getMessage());
            return;
        }
        events.accept(e);
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
        @Override
        protected boolean message(WebSocket ws, byte[] json) {
            try {
                onMessage(ws, this, json);
            } catch (RuntimeException e) {
                LOG.error("trade updates: a consumer failed on an event", e);
            }
            return true;
        }

        @Override
        protected void lost(String why) {
            retry(why);
        }
    }
}
