package io.foresail.livetrader.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpaca.rest.AlpacaCredentials;
import io.foresail.alpaca.wire.AlpacaJson;
import io.foresail.alpacasim.paper.Ledger;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.io.Json;
import io.foresail.livetrader.alpaca.AlpacaTradingClient;
import io.foresail.registry.MlflowTestServer;
import io.foresail.registry.ModelVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The trading service end to end: the real MLflow test server holds the champion, the simulator
 * (over real HTTP and WebSocket) is the venue; bars stream in, decisions and orders go out, and the
 * simulator's ledger is the ground truth the trader's state is checked against, through a kill,
 * a resume, a champion swap and a restart. The keys are known fakes, looked for afterwards in
 * every output the trader wrote.
 */
class TraderServiceTest {
    private static final String KEY_ID = "PKFAKEKEY0123456789";
    private static final String SECRET = "fake-secret-9f8e7d6c5b4a";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private SimServer sim;
    private TraderWorld world;
    private Trader trader;

    @BeforeEach
    void start() {
        sim = TraderWorld.simulator(KEY_ID, SECRET);
        world = new TraderWorld(dir.resolve("world"), MlflowTestServer.get().uri());
    }

    @AfterEach
    void stop() {
        if (trader != null) {
            trader.close();
        }
        sim.close();
    }

    private Trader trader(String model) {
        return world.trader(sim, new AlpacaCredentials(KEY_ID, SECRET), world.config(model), dir.resolve("state"));
    }

    @Test
    void tradesTheChampionKillsResumesSwapsAndRestartsWithTheLedgerAsTruth() throws Exception {
        List<ModelVersion> versions = world.champions("trader-e2e", 2);
        trader = trader("trader-e2e");
        await(() -> get("/ready").statusCode() == 200, "ready");

        // Two bars: each is decided once, and orders go out under version 1.
        advance(15);
        await(() -> decisions() >= 1, "first decision");
        advance(15);
        await(() -> decisions() >= 2, "second decision");
        assertThat(ledger().orders()).as("orders placed; decisions:\n" + dump("decisions")).isNotEmpty();

        // Kill: the next bar is decided, but nothing is sent.
        assertThat(post("/kill?mode=halt&reason=test&by=tester").statusCode()).isEqualTo(200);
        int ordersAtKill = ledger().orders().size();
        advance(15);
        await(() -> decisions() >= 3, "decision under the kill switch");
        assertThat(ledger().orders()).as("no order while the kill switch is engaged").hasSize(ordersAtKill);
        assertThat(json(get("/status")).path("kill_switch").path("engaged").asBoolean()).isTrue();
        assertThat(post("/resume").statusCode()).as("a resume needs a reason").isEqualTo(400);
        assertThat(post("/resume?reason=checked&by=tester").statusCode()).isEqualTo(200);

        // The champion moves to version 2: the next decision, and its orders, name it.
        world.registry.setAlias("trader-e2e", "champion", versions.get(1).version());
        // The poller may have swapped already (every 0.5 s here); either way version 2 serves now.
        assertThat(json(post("/reload")).path("outcome").asText()).isIn("SWAPPED", "UNCHANGED");
        assertThat(json(get("/status")).path("model").path("version").asText()).isEqualTo(versions.get(1).version());
        advance(15);
        await(() -> decisions() >= 4, "decision after the swap");
        advance(2); // the last orders fill
        assertThat(lastDecisionVersion()).isEqualTo("trader-e2e/" + versions.get(1).version());
        await(() -> ledger().fills().size() == count("fills"), "every fill recorded");

        assertAgreesWithTheLedger();
        assertThat(count("positions")).as("a positions snapshot with each decision once there are positions").isPositive();
        assertThat(column("SELECT version FROM model_versions")).as("the versions served, in order")
                .containsExactly(versions.get(0).version(), versions.get(1).version());
        Map<String, String> versionsByOrder = orderVersions();
        assertThat(versionsByOrder.values()).as("every order names the version that decided it")
                .doesNotContainNull().contains("trader-e2e/" + versions.get(0).version(),
                        "trader-e2e/" + versions.get(1).version());

        String metrics = get("/metrics").body();
        assertThat(metrics).contains("foresail_trader_decision_latency_seconds_count 4\n",
                "foresail_trader_kill_switch_engaged{mode=\"HALT\"} 0.0", "foresail_trader_model_swaps_total");
        JsonNode status = json(get("/status"));
        assertThat(status.path("mode").asText()).isEqualTo("sim");
        assertThat(status.path("model").path("version").asText()).isEqualTo(versions.get(1).version());

        // Restart: the new process reconciles with the broker before anything else, and agrees.
        trader.close();
        advance(3);
        trader = trader("trader-e2e");
        await(() -> get("/ready").statusCode() == 200, "ready after the restart");
        advance(15);
        await(() -> decisions() >= 5, "decision after the restart");
        advance(2);
        await(() -> ledger().fills().size() == count("fills"), "every fill recorded after the restart");
        assertAgreesWithTheLedger();

        String everything = metrics + get("/metrics").body() + get("/status").body() + dump("decisions") + dump("orders")
                + dump("kill_switch") + Files.readString(dir.resolve("state").resolve("trader.json"));
        trader.close();
        trader = null;
        byte[] db = Files.readAllBytes(dir.resolve("state").resolve("trader.db"));
        Path log = Path.of("target", "live-trader-test.log");
        String logs = Files.exists(log) ? Files.readString(log) : "";
        for (String secret : List.of(KEY_ID, SECRET)) {
            assertThat(everything).as("outputs").doesNotContain(secret);
            assertThat(logs).as("logs").doesNotContain(secret);
            assertThat(new String(db, StandardCharsets.ISO_8859_1)).as("state file").doesNotContain(secret);
        }
    }

    @Test
    void aBarsOrdersGoOutAtOnceAcrossANetworkRoundTripEachOnce() throws Exception {
        sim.close();
        sim = TraderWorld.simulator(KEY_ID, SECRET, Duration.ofMillis(60));
        world.champions("trader-latency", 1);
        ModelVersion reversed = world.reversed("trader-latency", 1);
        // Two names long and two short of the four: a name whose side changes is a reversal.
        // The bar's threads one step behind the rest (a nice above the process's own needs no privilege).
        int nice = BarThreadsPriority.currentNice() + 3;
        trader = world.trader(sim, new AlpacaCredentials(KEY_ID, SECRET),
                world.config("trader-latency", 2, ", threads_nice: " + nice), dir.resolve("state"));
        await(() -> get("/ready").statusCode() == 200, "ready");
        assertThat(json(get("/status")).path("bar_threads_priority").asText()).isEqualTo("nice " + nice);
        for (int bar = 1; bar <= 3; bar++) {
            if (bar == 2) {
                // The ranking turns over: the long becomes the short and the short the long.
                world.registry.setAlias("trader-latency", "champion", reversed.version());
                assertThat(json(post("/reload")).path("outcome").asText()).isIn("SWAPPED", "UNCHANGED");
            }
            advance(15);
            int decided = bar;
            await(() -> decisions() >= decided, "decision " + bar);
        }
        advance(2);
        await(() -> ledger().fills().size() == count("fills"), "every fill recorded");
        // Sent one after the other, a bar's orders would never be two in flight at the venue.
        String symbolsInABar = column("SELECT MAX(n) FROM (SELECT COUNT(DISTINCT o.symbol) AS n FROM orders o "
                + "JOIN intents i USING (client_order_id) GROUP BY i.bar_time)").get(0);
        assertThat(Integer.parseInt(symbolsInABar)).as("a bar with orders in two symbols or more").isGreaterThanOrEqualTo(2);
        JsonNode venue = json(send(HttpRequest.newBuilder(sim.baseUri().resolve("/sim/status")).build()));
        assertThat(venue.path("order_submissions_in_flight_max").asInt()).as("order submissions in flight at once")
                .isGreaterThanOrEqualTo(2);
        assertAgreesWithTheLedger();
        assertThat(orderVersions().values()).as("every order names the version that decided it").doesNotContainNull();
        // A reversal's opening leg goes once its closing leg has filled: sent together, the venue
        // would refuse it (a sell through zero while the closing sell is open), a reject every reversal.
        Map<String, io.foresail.alpaca.wire.AlpacaOrder> byId = new HashMap<>();
        ledger().orders().forEach(o -> byId.put(o.clientOrderId(), o));
        List<String> openingLegs = byId.keySet().stream().filter(id -> id.endsWith("o")).toList();
        assertThat(openingLegs).as("a reversal among these bars (closing leg 'c', opening leg 'o'); intents:\n" + dump("intents") + "orders:\n" + dump("orders")).isNotEmpty();
        for (String id : openingLegs) {
            var closing = byId.get(id.substring(0, id.length() - 1) + "c");
            assertThat(closing).as("the closing leg of " + id).isNotNull();
            assertThat(closing.filledAt()).as(id + " sent after its closing leg filled").isNotNull()
                    .isBeforeOrEqualTo(byId.get(id).createdAt());
        }
        assertThat(get("/metrics").body()).as("no order refused").contains("foresail_trader_rejects_total 0.0");
        // The bar's threads at bars.threads_nice; those off its path at the process's own, though the bar
        // thread hands them work ("trader-reconcile", "trader-state-sync": Linux keeps a name's first 15
        // characters). Awaited: an earlier test's trader may leave threads of the same names for a moment.
        Map<String, Set<Integer>> expected = Map.of("trader-bars", Set.of(nice), "trader-broker-1", Set.of(nice),
                "trader-broker-2", Set.of(nice), "trader-tick", Set.of(nice - 3), "trader-reconcil", Set.of(nice - 3),
                "trader-state-sy", Set.of(nice - 3));
        await(() -> expected.keySet().stream().allMatch(n -> expected.get(n).equals(threadNices().get(n))),
                "threads at their nice values: " + expected + " (at first: " + threadNices() + ")");
        // Each bar's latency with when it ended, oldest first: what the benchmark lines up with the host's steal time.
        JsonNode bars = json(get("/latencies?last=10")).path("bars");
        assertThat(bars.size()).as(bars.toString()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            JsonNode b = bars.get(i);
            assertThat(b.path("ms").asDouble()).as("across the 60 ms round trip: " + b).isGreaterThanOrEqualTo(60)
                    .isGreaterThan(b.path("ms_excluding_broker").asDouble());
            assertThat(b.path("bar_thread_cpu_ms").asDouble()).as(b.toString()).isPositive();
            if (i > 0) {
                assertThat(java.time.Instant.parse(b.path("ended_at").asText()))
                        .isAfter(java.time.Instant.parse(bars.get(i - 1).path("ended_at").asText()));
            }
        }
        HttpResponse<String> refused = get("/latencies?last=0");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("last must be 1 to 10000, got 0");
        JsonNode stages = json(get("/status")).path("decision_latency_ms").path("stages");
        assertThat(stages.path("send").path("p50").asDouble()).as("the orders' round trips")
                .isGreaterThanOrEqualTo(60);
        assertThat(stages.has("acks")).as("the acknowledgements recorded after the orders are out").isTrue();
    }

    @Test
    void refusesToStartWithoutAChampionNamingWhatToDo() {
        world.champions("trader-unpromoted", 1);
        world.registry.deleteAlias("trader-unpromoted", "champion");
        assertThatThrownBy(() -> trader("trader-unpromoted")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no version of model 'trader-unpromoted' has the alias 'champion'")
                .hasMessageContaining("promote");
        assertThat(dir.resolve("state").resolve("trader.json")).as("no process file left behind").doesNotExist();
    }

    /** This JVM's threads' nice values by name (Linux's 15-character names), from /proc. */
    private static Map<String, Set<Integer>> threadNices() {
        Map<String, Set<Integer>> out = new HashMap<>();
        try (var tasks = java.nio.file.Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String name = java.nio.file.Files.readString(t.resolve("comm")).strip();
                    out.computeIfAbsent(name, k -> new HashSet<>()).add(BarThreadsPriority.niceOf(t.resolve("stat")));
                } catch (java.io.IOException | io.foresail.core.error.ForesailException e) {
                    if (java.nio.file.Files.exists(t)) {
                        throw new AssertionError("cannot read thread " + t, e);
                    }
                    // a thread that ended while listed (ENOENT or ESRCH, depending on when)
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** Each client order id once in the ledger; the trader's fills are the ledger's; positions agree. */
    private void assertAgreesWithTheLedger() throws Exception {
        Ledger.Snapshot l = ledger();
        Set<String> ids = new HashSet<>();
        for (var o : l.orders()) {
            assertThat(ids.add(o.clientOrderId())).as("client order id " + o.clientOrderId() + " once").isTrue();
        }
        assertThat(orderVersions().keySet()).as("the trader's orders are the ledger's").isEqualTo(ids);
        Set<String> ledgerFills = new HashSet<>();
        l.fills().forEach(f -> ledgerFills.add(f.id()));
        assertThat(column("SELECT execution_id FROM fills")).as("fills").containsExactlyInAnyOrderElementsOf(ledgerFills);
        Map<String, Double> broker = new TreeMap<>();
        AlpacaTradingClient alpaca = new AlpacaTradingClient(sim.baseUri(), new AlpacaCredentials(KEY_ID, SECRET),
                AlpacaTradingClient.Settings.defaults());
        for (var p : alpaca.positions()) {
            broker.put(p.symbol(), p.qty().doubleValue());
        }
        // What the bars decide from: the trader's own book, kept from its fills and reports.
        JsonNode book = json(get("/status")).path("book");
        Map<String, Double> booked = new TreeMap<>();
        book.path("positions").fields().forEachRemaining(e -> booked.put(e.getKey(), e.getValue().asDouble()));
        assertThat(booked).as("the book's positions = the broker's").isEqualTo(broker);
        List<String> unsettled = new ArrayList<>();
        book.path("unsettled").forEach(n -> unsettled.add(n.asText()));
        assertThat(unsettled).as("the book's unsettled symbols: those with an order still open (a fill capped by the "
                + "bar's volume)").containsExactlyInAnyOrderElementsOf(
                column("SELECT DISTINCT symbol FROM orders WHERE status IN ('NEW', 'PARTIALLY_FILLED')"));
        assertThat(book.path("cash").asDouble()).as("the book's cash = the broker's (no fee, borrow or dividend mid-session)")
                .isCloseTo(alpaca.account().cash().doubleValue(), org.assertj.core.api.Assertions.within(0.01));
        Map<String, Double> fromFills = new TreeMap<>();
        try (Connection c = db(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT symbol, SUM(CASE side WHEN 'BUY' THEN quantity ELSE -quantity END) FROM fills GROUP BY symbol")) {
            while (r.next()) {
                if (Math.abs(r.getDouble(2)) > 1e-9) {
                    fromFills.put(r.getString(1), r.getDouble(2));
                }
            }
        }
        assertThat(fromFills).as("positions from the recorded fills = the broker's").isEqualTo(broker);
    }

    private Ledger.Snapshot ledger() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(sim.baseUri().resolve("/sim/ledger")).build());
        try {
            return AlpacaJson.MAPPER.readValue(r.body(), Ledger.Snapshot.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private void advance(int minutes) throws Exception {
        for (int i = 0; i < minutes; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(sim.baseUri().resolve("/sim/advance"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"minutes\":1}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Thread.sleep(30);
        }
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(trader.httpUri().resolve(path)).build());
    }

    private HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(URI.create(trader.httpUri() + path)).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static HttpResponse<String> send(HttpRequest r) {
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(r.uri() + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    private Connection db() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state").resolve("trader.db").toAbsolutePath());
    }

    private long count(String table) {
        try (Connection c = db(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return r.next() ? r.getLong(1) : 0;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long decisions() {
        return count("decisions");
    }

    private String lastDecisionVersion() throws Exception {
        return column("SELECT model_version FROM decisions ORDER BY rowid DESC LIMIT 1").get(0);
    }

    private Map<String, String> orderVersions() throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = db(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT client_order_id, model_version FROM orders")) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    private List<String> column(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private String dump(String table) throws Exception {
        StringBuilder b = new StringBuilder();
        try (Connection c = db(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                for (int i = 1; i <= n; i++) {
                    b.append(r.getString(i)).append('|');
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
