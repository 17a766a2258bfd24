package io.foresail.data.alpaca;

import io.foresail.alpaca.rest.AlpacaBarsClient;
import io.foresail.alpaca.rest.AlpacaCredentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.foresail.core.error.ForesailException;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.progress.Progress;
import io.foresail.data.ingest.ImportSummary;
import io.foresail.data.store.Adjustment;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importer against a local HTTP server that answers {@code GET /v2/stocks/bars} in the shape of
 * Alpaca's OpenAPI spec (bars keyed by symbol, sorted by symbol then time, {@code next_page_token}),
 * with short pages and scripted faults.
 */
class AlpacaBarImporterTest {
    private static final AlpacaCredentials KEYS = new AlpacaCredentials("PKTESTKEY123", "s3cr3t-never-shown");
    private static final LocalDate DAY1 = LocalDate.of(2024, 6, 3);
    private static final LocalDate DAY2 = LocalDate.of(2024, 6, 4);

    @TempDir
    Path dir;
    private HttpServer server;
    private final Deque<String> faults = new ConcurrentLinkedDeque<>();
    private final List<Map<String, String>> requests = new ArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    private int pageSize = 7;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/stocks/bars", this::bars);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** The market the server knows: 15-minute bars of AAPL and MSFT, including pre-market bars at 08:00-09:15 New York. */
    private static List<String[]> universe(String symbol) {
        List<String[]> out = new ArrayList<>();
        for (LocalDate d : List.of(DAY1, DAY2)) {
            Instant open = d.atTime(8, 0).atZone(TradingCalendar.nyse().zone()).toInstant();
            for (int i = 0; i < 6 + 26; i++) {
                Instant t = open.plusSeconds(900L * i);
                double p = (symbol.equals("AAPL") ? 190 : 415) + i * 0.01 + (d.equals(DAY2) ? 1 : 0);
                out.add(new String[] {symbol, t.toString(), Double.toString(p)});
            }
        }
        return out;
    }

    private void bars(HttpExchange ex) throws IOException {
        Map<String, String> q = new HashMap<>();
        for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
            String[] p = kv.split("=", 2);
            q.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
        }
        synchronized (requests) {
            requests.add(q);
        }
        if (!"PKTESTKEY123".equals(ex.getRequestHeaders().getFirst("APCA-API-KEY-ID"))
                || !"s3cr3t-never-shown".equals(ex.getRequestHeaders().getFirst("APCA-API-SECRET-KEY"))) {
            respond(ex, 401, "{\"code\":40110000,\"message\":\"request is not authorized\"}");
            return;
        }
        String fault = faults.poll();
        if ("429".equals(fault)) {
            ex.getResponseHeaders().add("X-RateLimit-Limit", "200");
            ex.getResponseHeaders().add("X-RateLimit-Remaining", "0");
            ex.getResponseHeaders().add("X-RateLimit-Reset", Long.toString(Instant.now().getEpochSecond() + 2));
            respond(ex, 429, "{\"code\":42910000,\"message\":\"rate limit exceeded\"}");
            return;
        }
        if ("500".equals(fault)) {
            respond(ex, 500, "{\"code\":50010000,\"message\":\"internal server error\"}");
            return;
        }
        if ("malformed".equals(fault)) {
            respond(ex, 200, "{\"bars\": {\"AAPL\": [{\"t\": \"2024-06-03T13:30:00Z\", \"o\": \"oops\"}]}}");
            return;
        }
        Instant start = Instant.parse(q.get("start"));
        Instant end = Instant.parse(q.get("end"));
        List<String[]> rows = new ArrayList<>();
        for (String symbol : q.get("symbols").split(",")) {
            for (String[] r : universe(symbol)) {
                Instant t = Instant.parse(r[1]);
                if (!t.isBefore(start) && t.isBefore(end)) {
                    rows.add(r);
                }
            }
        }
        int from = q.containsKey("page_token") ? Integer.parseInt(q.get("page_token")) : 0;
        int to = Math.min(rows.size(), from + pageSize);
        StringBuilder body = new StringBuilder("{\"bars\":{");
        String current = null;
        for (int i = from; i < to; i++) {
            String[] r = rows.get(i);
            if (!r[0].equals(current)) {
                body.append(current == null ? "" : "],").append('"').append(r[0]).append("\":[");
                current = r[0];
            } else {
                body.append(',');
            }
            body.append(String.format(java.util.Locale.ROOT,
                    "{\"c\":%s,\"h\":%s,\"l\":%s,\"n\":12,\"o\":%s,\"t\":\"%s\",\"v\":1000,\"vw\":%s}",
                    r[2], r[2], r[2], r[2], r[1].replace("Z", ".000000000Z"), r[2]));
        }
        body.append(current == null ? "" : "]").append("},\"next_page_token\":")
                .append(to < rows.size() ? "\"" + to + "\"" : "null").append('}');
        ex.getResponseHeaders().add("X-RateLimit-Remaining", "150");
        respond(ex, 200, body.toString());
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    private AlpacaBarImporter importer(AlpacaCredentials keys) {
        AlpacaBarsClient client = AlpacaBarsClient.builder(keys)
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .maxAttempts(3).initialBackoff(Duration.ofMillis(100)).sleeper(waits::add).build();
        return new AlpacaBarImporter(client, TradingCalendar.nyse(), 10_000);
    }

    private ImportSummary run(AlpacaCredentials keys) {
        return importer(keys).run(dir.resolve("store"), new AlpacaBarImporter.Request(List.of("AAPL", "MSFT"),
                Timeframe.MIN_15, DAY1, DAY2, "iex", Adjustment.SPLIT), Progress.NONE);
    }

    @Test
    void followsShortPagesThroughRetriesAndStoresTheRegularSessionOnly() {
        faults.add("429");
        faults.add("500");
        ImportSummary s = run(KEYS);
        assertThat(s.outsideSession()).isEqualTo(2 * 2 * 6);
        BarStore store = BarStore.open(dir.resolve("store"));
        BarSeries aapl = store.read("AAPL");
        assertThat(aapl.size()).isEqualTo(52);
        assertThat(aapl.start(0)).isEqualTo(Instant.parse("2024-06-03T13:30:00Z"));
        assertThat(store.read("MSFT").size()).isEqualTo(52);
        assertThat(store.adjustment()).isEqualTo(Adjustment.SPLIT);
        assertThat(requests.get(0)).containsEntry("feed", "iex").containsEntry("adjustment", "split")
                .containsEntry("timeframe", "15Min").containsEntry("symbols", "AAPL,MSFT");
        assertThat(requests).anySatisfy(r -> assertThat(r).containsKey("page_token"));
        // One wait for the 429 (until X-RateLimit-Reset, about 2 s), one backoff for the 500.
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(3));
        assertThat(waits.get(1)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aMalformedPageFailsClearlyKeepsEarlierPagesAndTheNextRunResumes() {
        faults.add("ok");
        faults.add("ok");
        faults.add("malformed");
        assertThatThrownBy(() -> run(KEYS)).isInstanceOf(ForesailException.class)
                .hasMessageContaining("malformed response from Alpaca").hasMessageContaining("field 'o'")
                .hasMessageNotContaining("s3cr3t");
        BarStore partial = BarStore.open(dir.resolve("store"));
        long stored = partial.manifest().rows();
        assertThat(stored).isPositive().isLessThan(104);
        assertThat(partial.verify()).isEmpty();
        BarSeries partialAapl = partial.read("AAPL");
        String aaplResume = partialAapl.start(partialAapl.size() - 1).plusNanos(1000).toString();
        int before = requests.size();
        run(KEYS);
        BarStore full = BarStore.open(dir.resolve("store"));
        assertThat(full.manifest().rows()).isEqualTo(104);
        // The resumed run asked only for what was missing: AAPL after its last stored bar, MSFT from the start.
        List<Map<String, String>> resumed = requests.subList(before, requests.size());
        assertThat(resumed).anySatisfy(r -> assertThat(r).containsEntry("symbols", "AAPL")
                .containsEntry("start", aaplResume));
        assertThat(resumed).anySatisfy(r -> assertThat(r).containsEntry("symbols", "MSFT")
                .containsEntry("start", "2024-06-03T04:00:00Z"));
        BarSeries aapl = full.read("AAPL");
        for (int i = 1; i < aapl.size(); i++) {
            assertThat(aapl.tsMicros(i)).isGreaterThan(aapl.tsMicros(i - 1));
        }
        // A third run finds nothing new and changes nothing.
        run(KEYS);
        assertThat(BarStore.open(dir.resolve("store")).manifest()).isEqualTo(full.manifest());
    }

    @Test
    void exhaustedRetriesAndRefusalsNameTheProblemButNeverTheSecret() {
        faults.add("500");
        faults.add("500");
        faults.add("500");
        assertThatThrownBy(() -> run(KEYS)).hasMessageContaining("failed after 3 attempts")
                .hasMessageContaining("HTTP 500").hasMessageNotContaining("s3cr3t");
        AlpacaCredentials wrong = new AlpacaCredentials("PKWRONG", "bad-secret");
        assertThatThrownBy(() -> run(wrong)).hasMessageContaining("HTTP 401").hasMessageContaining("not authorized")
                .hasMessageNotContaining("bad-secret");
        assertThat(KEYS.toString()).doesNotContain("s3cr3t").doesNotContain("TESTKEY123");
        assertThatThrownBy(() -> AlpacaCredentials.fromEnvironment(Map.of()))
                .hasMessageContaining("APCA_API_KEY_ID");
    }

    @Test
    void requestsAreWellFormed() {
        run(KEYS);
        URI any = URI.create("http://x/?symbols=" + requests.get(0).get("symbols"));
        assertThat(any.getQuery()).isEqualTo("symbols=AAPL,MSFT");
        assertThat(requests.get(0).get("start")).isEqualTo("2024-06-03T04:00:00Z");
        assertThat(requests.get(0).get("end")).isEqualTo("2024-06-05T04:00:00Z");
        assertThat(requests.get(0).get("sort")).isEqualTo("asc");
    }
}
