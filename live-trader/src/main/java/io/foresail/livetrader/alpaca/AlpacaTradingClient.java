package io.foresail.livetrader.alpaca;

import io.foresail.alpaca.rest.AlpacaCredentials;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpaca.wire.AlpacaAccount;
import io.foresail.alpaca.wire.AlpacaJson;
import io.foresail.alpaca.wire.AlpacaOrder;
import io.foresail.alpaca.wire.AlpacaPosition;
import io.foresail.alpaca.wire.CreateOrder;
import io.foresail.alpaca.wire.FillActivity;
import io.foresail.alpaca.wire.ReplaceOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Alpaca's Trading API over HTTP, one method an endpoint, in Alpaca's own records. Reads (GET) are
 * retried on a timeout, a 5xx or a 429 (waiting for {@code X-RateLimit-Reset}, at most
 * {@code maxRateLimitWait}); writes are never retried here: whether an order may be sent again is
 * the broker's decision, made after looking it up. Thread-safe.
 */
public final class AlpacaTradingClient {
    private static final Logger LOG = LoggerFactory.getLogger(AlpacaTradingClient.class);

    /** How the client waits and retries. */
    public record Settings(Duration requestTimeout, int readAttempts, Duration backoff, Duration maxRateLimitWait) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(10), 5, Duration.ofMillis(200), Duration.ofSeconds(61));
        }
    }

    /** A request whose outcome is unknown: no answer came (timeout, connection lost). */
    public static final class NoAnswer extends Exception {
        private static final long serialVersionUID = 1L;

        NoAnswer(String request, Throwable cause) {
            super(request + ": no answer (" + cause.getClass().getSimpleName() + ")", cause);
        }
    }

    private final HttpClient http;
    private final URI base;
    private final AlpacaCredentials credentials;
    private final Settings settings;

    public AlpacaTradingClient(URI base, AlpacaCredentials credentials, Settings settings) {
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
        this.base = base;
        this.credentials = credentials;
        this.settings = settings;
    }

    /** The market clock: the venue's time (the simulator's own, which may run faster than the wall's). */
    public io.foresail.alpaca.wire.AlpacaClock clock() {
        return read("/v2/clock", io.foresail.alpaca.wire.AlpacaClock.class);
    }

    public AlpacaAccount account() {
        return read("/v2/account", AlpacaAccount.class);
    }

    public List<AlpacaPosition> positions() {
        return read("/v2/positions", new TypeReference<List<AlpacaPosition>>() { });
    }

    public List<AlpacaOrder> openOrders() {
        return read("/v2/orders?status=open&limit=500&direction=asc", new TypeReference<List<AlpacaOrder>>() { });
    }

    public AlpacaOrder order(String id) {
        return read("/v2/orders/" + encode(id), AlpacaOrder.class);
    }

    /** The order with this client order id, or empty when Alpaca has none (404). */
    public Optional<AlpacaOrder> orderByClientId(String clientOrderId) {
        try {
            return Optional.of(read("/v2/orders:by_client_order_id?client_order_id=" + encode(clientOrderId), AlpacaOrder.class));
        } catch (AlpacaApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** FILL activities after {@code after} (exclusive; null: all), oldest first, up to 100. */
    public List<FillActivity> fillsAfter(Instant after) {
        return read("/v2/account/activities/FILL?direction=asc&page_size=100"
                + (after == null ? "" : "&after=" + encode(after.toString())), new TypeReference<List<FillActivity>>() { });
    }

    /** {@code POST /v2/orders}; throws {@link NoAnswer} when the outcome is unknown. */
    public AlpacaOrder submit(CreateOrder order) throws NoAnswer {
        return write("POST", "/v2/orders", AlpacaJson.write(order), AlpacaOrder.class);
    }

    /** {@code PATCH /v2/orders/{id}}: the replacing order. */
    public AlpacaOrder replace(String id, ReplaceOrder change) throws NoAnswer {
        return write("PATCH", "/v2/orders/" + encode(id), AlpacaJson.write(change), AlpacaOrder.class);
    }

    /** {@code DELETE /v2/orders/{id}} (204 on success). */
    public void cancel(String id) throws NoAnswer {
        write("DELETE", "/v2/orders/" + encode(id), null, Void.class);
    }

    private <T> T read(String path, Class<T> type) {
        return read(path, AlpacaJson.MAPPER.constructType(type));
    }

    private <T> T read(String path, TypeReference<T> type) {
        return read(path, AlpacaJson.MAPPER.getTypeFactory().constructType(type));
    }

    private <T> T read(String path, com.fasterxml.jackson.databind.JavaType type) {
        String what = "GET " + path.replaceAll("\\?.*", "");
        RuntimeException last = null;
        for (int attempt = 1; attempt <= settings.readAttempts(); attempt++) {
            try {
                HttpResponse<byte[]> r = send(request(path).GET().build());
                if (r.statusCode() / 100 == 2) {
                    return AlpacaJson.MAPPER.readValue(r.body(), type);
                }
                AlpacaApiException e = error(r, what);
                if (!e.retryable()) {
                    throw e;
                }
                last = e;
                pause(r, attempt, what);
            } catch (IOException e) {
                last = new AlpacaApiException(0, 0, "no answer (" + e.getClass().getSimpleName() + ")", what);
                sleep(backoff(attempt));
            }
        }
        throw last;
    }

    private <T> T write(String method, String path, String json, Class<T> type) throws NoAnswer {
        String what = method + " " + path;
        HttpRequest.Builder b = request(path);
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<byte[]> r = send(b.build());
            if (r.statusCode() / 100 == 2) {
                return type == Void.class || r.body().length == 0 ? null : AlpacaJson.MAPPER.readValue(r.body(), type);
            }
            throw error(r, what);
        } catch (IOException e) {
            throw new NoAnswer(what, e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(settings.requestTimeout())
                .header("APCA-API-KEY-ID", credentials.keyId())
                .header("APCA-API-SECRET-KEY", credentials.secretKey());
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static AlpacaApiException error(HttpResponse<byte[]> r, String what) {
        int code = r.statusCode() * 100_000;
        String message = "";
        try {
            JsonNode body = AlpacaJson.MAPPER.readTree(r.body());
            if (body != null) {
                code = body.path("code").asInt(code);
                message = body.path("message").asText("");
            }
        } catch (IOException e) {
            message = "(no error body)";
        }
        return new AlpacaApiException(r.statusCode(), code, message, what);
    }

    /** Before another read: a 429 waits for the window's reset (bounded), anything else backs off. */
    private void pause(HttpResponse<byte[]> r, int attempt, String what) {
        if (r.statusCode() == 429) {
            long reset = r.headers().firstValueAsLong("X-RateLimit-Reset").orElse(0);
            long waitMs = Math.max(0, reset * 1000 - System.currentTimeMillis());
            waitMs = Math.min(waitMs, settings.maxRateLimitWait().toMillis());
            LOG.warn("{}: rate limited; waiting {} ms for the window to reset", what, waitMs);
            sleep(Duration.ofMillis(Math.max(waitMs, backoff(attempt).toMillis())));
        } else {
            sleep(backoff(attempt));
        }
    }

    Duration backoff(int attempt) {
        long base = settings.backoff().toMillis() << Math.min(attempt - 1, 8);
        return Duration.ofMillis(base + java.util.concurrent.ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
