package io.foresail.alpaca.rest;

import io.foresail.core.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresail.core.error.ForesailException;
import io.foresail.core.market.Bar;
import io.foresail.core.market.Timeframe;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of Alpaca's historical bars endpoint, {@code GET /v2/stocks/bars} (Market Data API v2,
 * multi-symbol). It honours 429 with {@code X-RateLimit-Reset} or {@code Retry-After}, waits out an
 * exhausted {@code X-RateLimit-Remaining}, and retries 5xx and connection failures with
 * exponential backoff, up to {@code maxAttempts}. Other errors, and bodies that are not the
 * documented shape, fail with a message that names the request (never the keys).
 */
public final class AlpacaBarsClient {
    private static final Logger LOG = LoggerFactory.getLogger(AlpacaBarsClient.class);
    public static final String DEFAULT_BASE_URL = "https://data.alpaca.markets";

    private final URI baseUrl;
    private final AlpacaCredentials credentials;
    private final HttpClient http;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Sleeper sleeper;
    private Instant rateLimitReset;

    private AlpacaBarsClient(Builder b) {
        this.baseUrl = URI.create(b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl);
        this.credentials = b.credentials;
        this.http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.sleeper = b.sleeper;
    }

    public static Builder builder(AlpacaCredentials credentials) {
        return new Builder(credentials);
    }

    /** Settings with defaults: Alpaca's data URL, 6 attempts, backoff 0.5 s doubling to 60 s. */
    public static final class Builder {
        private final AlpacaCredentials credentials;
        private String baseUrl = DEFAULT_BASE_URL;
        private int maxAttempts = 6;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(60);
        private Duration timeout = Duration.ofSeconds(30);
        private Sleeper sleeper = Sleeper.REAL;

        private Builder(AlpacaCredentials credentials) {
            this.credentials = credentials;
        }

        public Builder baseUrl(String v) {
            baseUrl = v;
            return this;
        }

        public Builder maxAttempts(int v) {
            maxAttempts = Math.max(1, v);
            return this;
        }

        public Builder initialBackoff(Duration v) {
            initialBackoff = v;
            return this;
        }

        public Builder maxBackoff(Duration v) {
            maxBackoff = v;
            return this;
        }

        public Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        public Builder sleeper(Sleeper v) {
            sleeper = v;
            return this;
        }

        public AlpacaBarsClient build() {
            return new AlpacaBarsClient(this);
        }
    }

    /**
     * Fetches one page.
     *
     * @param feed       {@code iex} or {@code sip}
     * @param adjustment Alpaca's {@code adjustment}: raw, split, dividend or all
     * @param pageToken null for the first page
     */
    public BarPage fetch(List<String> symbols, Timeframe timeframe, Instant start, Instant end, String feed,
                         String adjustment, int limit, String pageToken) {
        StringBuilder q = new StringBuilder("/v2/stocks/bars?symbols=")
                .append(encode(String.join(",", symbols)))
                .append("&timeframe=").append(timeframe.alpacaName())
                .append("&start=").append(encode(start.toString()))
                .append("&end=").append(encode(end.toString()))
                .append("&limit=").append(limit)
                .append("&adjustment=").append(encode(adjustment))
                .append("&feed=").append(encode(feed))
                .append("&sort=asc");
        if (pageToken != null) {
            q.append("&page_token=").append(encode(pageToken));
        }
        String what = "GET " + q;
        String body = send(URI.create(baseUrl + q.toString()), what);
        return parse(body, what);
    }

    /**
     * Every bar of [{@code start}, {@code end}] (both inclusive), following {@code next_page_token}
     * to the last page: each symbol's bars in time order; symbols without bars are absent.
     */
    public Map<String, List<Bar>> fetchAll(List<String> symbols, Timeframe timeframe, Instant start, Instant end,
                                           String feed, String adjustment) {
        Map<String, List<Bar>> out = new java.util.LinkedHashMap<>();
        String token = null;
        do {
            BarPage page = fetch(symbols, timeframe, start, end, feed, adjustment, 10_000, token);
            page.bars().forEach((symbol, bars) -> out.computeIfAbsent(symbol, k -> new java.util.ArrayList<>()).addAll(bars));
            token = page.nextPageToken();
        } while (token != null);
        return out;
    }

    private String send(URI uri, String what) {
        Duration backoff = initialBackoff;
        String lastProblem = "";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            waitForRateLimit();
            HttpRequest request = HttpRequest.newBuilder(uri).GET()
                    .header("APCA-API-KEY-ID", credentials.keyId())
                    .header("APCA-API-SECRET-KEY", credentials.secretKey())
                    .header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastProblem = "connection failed: " + e.getMessage();
                LOG.warn("{}: {} (attempt {}/{})", what, lastProblem, attempt, maxAttempts);
                pause(backoff);
                backoff = next(backoff);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ForesailException("interrupted during " + what, e);
            }
            noteRateLimit(response);
            int status = response.statusCode();
            if (status == 200) {
                return response.body();
            }
            if (status == 429) {
                Duration wait = retryAfter(response).orElse(backoff);
                lastProblem = "HTTP 429 rate limited";
                LOG.warn("{}: rate limited, waiting {} ms (attempt {}/{})", what, wait.toMillis(), attempt, maxAttempts);
                pause(min(wait, maxBackoff));
                backoff = next(backoff);
                continue;
            }
            if (status >= 500) {
                lastProblem = "HTTP " + status + " " + errorMessage(response.body());
                LOG.warn("{}: {} (attempt {}/{})", what, lastProblem, attempt, maxAttempts);
                pause(backoff);
                backoff = next(backoff);
                continue;
            }
            throw new ForesailException("Alpaca refused " + what + ": HTTP " + status + " " + errorMessage(response.body()));
        }
        throw new ForesailException("Alpaca " + what + " failed after " + maxAttempts + " attempts; last: " + lastProblem);
    }

    private void waitForRateLimit() {
        if (rateLimitReset != null) {
            Duration wait = Duration.between(Instant.now(), rateLimitReset);
            rateLimitReset = null;
            if (!wait.isNegative() && !wait.isZero()) {
                LOG.info("rate limit exhausted, waiting {} ms for the reset", wait.toMillis());
                pause(min(wait, maxBackoff));
            }
        }
    }

    private void noteRateLimit(HttpResponse<String> response) {
        Optional<String> remaining = response.headers().firstValue("X-RateLimit-Remaining");
        Optional<String> reset = response.headers().firstValue("X-RateLimit-Reset");
        if (response.statusCode() != 429 && remaining.isPresent() && reset.isPresent()) {
            try {
                if (Long.parseLong(remaining.get().trim()) <= 0) {
                    rateLimitReset = Instant.ofEpochSecond(Long.parseLong(reset.get().trim()));
                }
            } catch (NumberFormatException ignored) {
                // A malformed header is not worth failing an import for; the 429 path still protects us.
            }
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<String> response) {
        try {
            Optional<String> reset = response.headers().firstValue("X-RateLimit-Reset");
            if (reset.isPresent()) {
                Duration d = Duration.between(Instant.now(), Instant.ofEpochSecond(Long.parseLong(reset.get().trim())));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            }
            Optional<String> after = response.headers().firstValue("Retry-After");
            if (after.isPresent()) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(after.get().trim())));
            }
        } catch (NumberFormatException ignored) {
            // fall back to exponential backoff
        }
        return Optional.empty();
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForesailException("interrupted while waiting to retry", e);
        }
    }

    private Duration next(Duration d) {
        return min(d.multipliedBy(2), maxBackoff);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String encode(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private static String errorMessage(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n != null && n.has("message")) {
                return (n.has("code") ? n.get("code").asText() + " " : "") + n.get("message").asText();
            }
        } catch (IOException ignored) {
            // not JSON: show a bounded excerpt
        }
        String b = body == null ? "" : body.strip();
        return b.length() > 200 ? b.substring(0, 200) + "…" : b;
    }

    static BarPage parse(String body, String what) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw malformed(what, "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw malformed(what, "expected a JSON object");
        }
        JsonNode bars = root.get("bars");
        Map<String, List<Bar>> out = new LinkedHashMap<>();
        if (bars != null && !bars.isNull()) {
            if (!bars.isObject()) {
                throw malformed(what, "'bars' is not an object keyed by symbol");
            }
            Iterator<Map.Entry<String, JsonNode>> it = bars.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isArray()) {
                    throw malformed(what, "'bars." + e.getKey() + "' is not an array");
                }
                List<Bar> list = new ArrayList<>();
                int i = 0;
                for (JsonNode b : e.getValue()) {
                    list.add(bar(e.getKey(), b, what + " bars." + e.getKey() + "[" + i++ + "]"));
                }
                out.put(e.getKey(), list);
            }
        }
        JsonNode token = root.get("next_page_token");
        if (token != null && !token.isNull() && !token.isTextual()) {
            throw malformed(what, "'next_page_token' is not a string");
        }
        return new BarPage(out, token == null || token.isNull() || token.asText().isEmpty() ? null : token.asText());
    }

    private static Bar bar(String symbol, JsonNode b, String where) {
        if (!b.isObject()) {
            throw malformed(where, "bar is not an object");
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(text(b, "t", where)).toInstant();
        } catch (DateTimeParseException e) {
            throw malformed(where, "field 't' is '" + b.get("t").asText() + "', not an RFC 3339 time");
        }
        return new Bar(symbol, t, num(b, "o", where), num(b, "h", where), num(b, "l", where), num(b, "c", where),
                num(b, "v", where), b.has("vw") ? num(b, "vw", where) : Double.NaN,
                b.has("n") ? (long) num(b, "n", where) : 0L);
    }

    private static String text(JsonNode b, String field, String where) {
        JsonNode v = b.get(field);
        if (v == null || !v.isTextual()) {
            throw malformed(where, "field '" + field + "' is missing or not a string");
        }
        return v.asText();
    }

    private static double num(JsonNode b, String field, String where) {
        JsonNode v = b.get(field);
        if (v == null || !v.isNumber()) {
            throw malformed(where, "field '" + field + "' is missing or not a number");
        }
        return v.asDouble();
    }

    private static ForesailException malformed(String where, String what) {
        return new ForesailException("malformed response from Alpaca (" + where + "): " + what);
    }
}
