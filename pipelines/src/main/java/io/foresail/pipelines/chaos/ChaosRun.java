package io.foresail.pipelines.chaos;

import io.foresail.alpaca.wire.AlpacaOrder;
import io.foresail.alpaca.wire.AlpacaPosition;
import io.foresail.alpaca.wire.FillActivity;
import io.foresail.alpacasim.Simulator;
import io.foresail.alpacasim.paper.Ledger;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.io.Json;
import io.foresail.core.market.BarGrid;
import io.foresail.registry.ModelVersion;
import io.foresail.pipelines.trader.Testbed;
import io.foresail.pipelines.trader.StateFile;
import io.foresail.pipelines.trader.TraderJvm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The trader under fire: a synthetic market replayed by the simulator (stepped, as fast as the
 * trader keeps up), the trader in its own JVM trading the champion, faults of every kind the
 * simulator offers injected throughout, the trader killed with SIGKILL at random moments (right
 * after a bar closes, while it decides and sends) and restarted, the kill switch engaged and
 * released, and the champion alias moved. Seeded: the same settings give the same schedule.
 *
 * <p>The simulator's ledger is the truth the trader's state file is checked against: no client
 * order id twice, no decision sending two orders for one name and leg, every execution recorded
 * once, positions from the recorded fills equal to the broker's after every restart and at the
 * end, no order sent while the kill switch was engaged (the bar being sent when it was engaged
 * has its orders in flight already: those are counted apart), every order naming the model
 * version that decided it.
 */
public final class ChaosRun {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
    private static final String SPEC = "name: chaos\nfeatures: [{alpha158_kmid: [1]}, {alpha158_roc: [5]}, "
            + "{alpha158_std: [10]}]\ncross_sectional: {ops: [rank], features: [alpha158_roc_5_raw]}\n";
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 2);
    /** Fault kinds and their weights: a rate-limit burst blocks the account for the rest of a wall minute, so it is rare. */
    private static final Map<String, Double> WEIGHTS = weights();

    /**
     * One run's settings.
     *
     * @param sessions       sessions traded (after {@code warmupSessions} of history)
     * @param championMoves  times the {@code champion} alias moves to a new version during the run
     * @param killSwitches   kill-switch windows (engaged for one to two bars, then released)
     */
    public record Settings(int symbols, int sessions, int warmupSessions, int faults, int restarts, int championMoves,
                           int killSwitches, long seed, Path dir, URI mlflow) {
        public Settings {
            if (symbols < 4 || sessions < 1 || warmupSessions < 1 || faults < 0 || restarts < 0 || championMoves < 0
                    || killSwitches < 0) {
                throw new InvalidInputException("chaos: at least 4 symbols, 1 session and 1 warm-up session; counts 0 or more");
            }
        }
    }

    /** What the run did and what it checked. */
    public record Report(Map<String, Long> faultsInjected, Map<String, Long> faultsFired, int restarts, int positionChecks,
                         int killSwitchWindows, int barsTraded, int barsDecided, long orders, long fills,
                         long duplicateOrderIds, long duplicateDecisionOrders, long missingFills, long unknownFills,
                         long positionMismatches, long ordersWhileKilled, long ordersInFlightAtKill, long ordersWithoutVersion,
                         Set<String> versionsTrading, List<String> problems, Duration wall) {
        public long faults() {
            return faultsInjected.values().stream().mapToLong(Long::longValue).sum();
        }

        public boolean passed() {
            return problems.isEmpty();
        }

        public String render() {
            StringBuilder b = new StringBuilder();
            b.append(String.format("chaos run: %d bars traded (%d decided), %d restarts (kill -9), %d kill-switch windows, "
                    + "%.0f s%n", barsTraded, barsDecided, restarts, killSwitchWindows, wall.toMillis() / 1e3));
            b.append(String.format("  faults injected: %d  %s%n", faults(), faultsInjected));
            b.append(String.format("  faults fired (simulator ledger): %s%n", faultsFired));
            b.append(String.format("  orders %d, fills %d, model versions that traded %s%n", orders, fills, versionsTrading));
            b.append(String.format("  duplicate client order ids %d, duplicate orders per decision %d%n", duplicateOrderIds,
                    duplicateDecisionOrders));
            b.append(String.format("  fills missing from the trader's state %d, fills it has that the broker has not %d%n",
                    missingFills, unknownFills));
            b.append(String.format("  position checks %d, mismatches %d%n", positionChecks, positionMismatches));
            b.append(String.format("  orders sent while the kill switch was engaged %d (orders of the bar being sent when "
                    + "it was engaged that reached the venue after it, then cancelled or filled: %d), orders naming no model "
                    + "version %d%n", ordersWhileKilled, ordersInFlightAtKill, ordersWithoutVersion));
            b.append(passed() ? "  PASSED\n" : "  FAILED: " + String.join("; ", problems) + "\n");
            return b.toString();
        }
    }

    private final Settings s;
    private final Path home;
    private final Consumer<String> out;
    private final SplittableRandom random;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Long> injected = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<KillWindow> killWindows = new ArrayList<>();

    /**
     * The kill switch engaged from {@code from} to {@code to} (venue time), posted while the bar
     * {@code barInProgress} (its client order id form) was being sent.
     */
    private record KillWindow(Instant from, Instant to, String barInProgress) {
    }
    private final Map<String, Integer> haltedUntil = new HashMap<>();
    private Testbed bed;
    private SimServer server;
    private Simulator sim;
    private TraderJvm trader;
    private int traderStarts;
    private int positionChecks;
    private long positionMismatches;

    private ChaosRun(Settings s, Path home, Consumer<String> out) {
        this.s = s;
        this.home = home;
        this.out = out;
        this.random = new SplittableRandom(s.seed());
    }

    /**
     * Runs the chaos suite.
     *
     * @param home the repository root (the trader's jar and classpath are under live-trader/target)
     * @param out  progress lines
     */
    public static Report run(Settings settings, Path home, Consumer<String> out) {
        return new ChaosRun(settings, home, out).run();
    }

    private Report run() {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(s.dir());
            bed = Testbed.create(s.symbols(), FIRST_DAY, s.warmupSessions(), s.sessions(), s.seed(), s.dir(), s.mlflow());
            sim = bed.simulator();
            server = bed.server();
            BarGrid grid = bed.grid();
            int first = bed.firstBar();
            int last = bed.lastBar();
            List<String> names = bed.universe().equities().stream().map(e -> e.symbol()).toList();
            String modelName = "chaos-s" + s.seed();
            List<ModelVersion> versions = bed.publishChampions(modelName, SPEC, s.championMoves() + 1, s.seed(), false);
            Path config = bed.writeConfig(modelName, Math.max(1, names.size() / 5), 300);
            Path state = s.dir().resolve("state");
            Testbed.deleteTree(state);
            out.accept("chaos: " + names.size() + " symbols, bars " + grid.start(first) + " .. " + grid.start(last)
                    + ", " + s.faults() + " faults, " + s.restarts() + " restarts, seed " + s.seed());

            int bars = last - first + 1;
            Schedule plan = schedule(bars);
            startTrader(config, state);
            int decided = 0;
            int move = 0;
            Instant killedAt = null;
            String killedBar = null;
            for (int b = 0; b < bars; b++) {
                int g = first + b;
                if (plan.moves.contains(b) && move + 1 < versions.size()) {
                    move++;
                    bed.promote(versions.get(move));
                    out.accept("  bar " + b + ": champion -> version " + versions.get(move).version());
                }
                for (int m = 0; m < 15; m++) {
                    int minute = b * 15 + m;
                    for (int k = 0; k < plan.faultsAt.getOrDefault(minute, 0); k++) {
                        injectFault(names, minute);
                    }
                    resumeHalts(minute);
                    sim.advanceTo(grid.start(g).plusSeconds(60L * (m + 1)));
                    Thread.sleep(2);
                }
                if (plan.restarts.contains(b)) {
                    Thread.sleep(random.nextInt(40)); // mid-decision: between submissions and their answers
                    trader.kill9();
                    out.accept("  bar " + b + ": trader killed (SIGKILL), restart " + (traderStarts));
                    startTrader(config, state);
                    checkPositions(state, "after restart " + (traderStarts - 1));
                    continue;
                }
                if (awaitDecision(state, g)) {
                    decided++;
                }
                if (plan.killStarts.contains(b)) {
                    post("/kill?mode=halt&by=chaos&reason=" + "window-" + killWindows.size());
                    killedAt = sim.clock().now();
                    killedBar = io.foresail.trading.orders.ClientOrderId.bar(grid.start(g));
                } else if (killedAt != null && plan.killEnds.contains(b)) {
                    post("/resume?by=chaos&reason=window-over");
                    killWindows.add(new KillWindow(killedAt, sim.clock().now(), killedBar));
                    killedAt = null;
                }
            }
            if (killedAt != null) {
                post("/resume?by=chaos&reason=run-over");
                killWindows.add(new KillWindow(killedAt, sim.clock().now(), killedBar));
            }
            // Let the last orders fill and the trader record them, then stop it as an operator would.
            Instant end = sim.clock().now();
            sim.advanceTo(end.plusSeconds(180));
            Thread.sleep(1500);
            checkPositions(state, "at the end");
            trader.stop();
            return report(state, bars, decided, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("chaos run interrupted", e);
        } finally {
            if (trader != null) {
                trader.close();
            }
            if (bed != null) {
                bed.close();
            }
        }
    }

    private record Schedule(Map<Integer, Integer> faultsAt, Set<Integer> restarts, Set<Integer> killStarts,
                            Set<Integer> killEnds, Set<Integer> moves) {
    }

    /** Where the faults, restarts, kill-switch windows and champion moves fall, from the seed. */
    private Schedule schedule(int bars) {
        Map<Integer, Integer> faults = new HashMap<>();
        int minutes = bars * 15;
        for (int i = 0; i < s.faults(); i++) {
            faults.merge(random.nextInt(minutes), 1, Integer::sum);
        }
        Set<Integer> taken = new TreeSet<>();
        Set<Integer> restarts = pick(s.restarts(), 1, bars - 1, taken);
        Set<Integer> starts = new TreeSet<>();
        Set<Integer> ends = new TreeSet<>();
        for (int k = 0; k < s.killSwitches(); k++) {
            for (int tries = 0; tries < 200; tries++) {
                int at = 1 + random.nextInt(Math.max(1, bars - 4));
                int len = 1 + random.nextInt(2);
                boolean free = true;
                for (int x = at - 1; x <= at + len + 1; x++) {
                    free &= !taken.contains(x);
                }
                if (free) {
                    for (int x = at; x <= at + len; x++) {
                        taken.add(x);
                    }
                    starts.add(at);
                    ends.add(at + len);
                    break;
                }
            }
        }
        Set<Integer> moves = new TreeSet<>();
        for (int k = 1; k <= s.championMoves(); k++) {
            moves.add(bars * k / (s.championMoves() + 1));
        }
        return new Schedule(faults, restarts, starts, ends, moves);
    }

    private Set<Integer> pick(int n, int from, int to, Set<Integer> taken) {
        Set<Integer> out = new TreeSet<>();
        int span = Math.max(1, to - from);
        for (int tries = 0; out.size() < n && tries < n * 100; tries++) {
            int b = from + random.nextInt(span);
            if (!taken.contains(b)) {
                out.add(b);
                taken.add(b);
            }
        }
        if (out.size() < n) {
            throw new InvalidInputException("chaos: " + n + " restarts do not fit in " + (to - from) + " bars; trade more sessions");
        }
        return out;
    }

    private void injectFault(List<String> names, int minute) throws IOException, InterruptedException {
        String kind = pickKind();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("kind", kind);
        switch (kind) {
            case "stream_drop" -> {
                f.put("stream", random.nextBoolean() ? "market_data" : "trade_updates");
                f.put("mode", random.nextBoolean() ? "close" : "reset");
            }
            case "stream_stall" -> {
                f.put("stream", random.nextBoolean() ? "market_data" : "trade_updates");
                f.put("seconds", 0.2 + 0.6 * random.nextDouble());
            }
            case "reconnect_406" -> f.put("seconds", 0.3);
            case "http_5xx" -> {
                f.put("count", 1 + random.nextInt(3));
                f.put("status", List.of(500, 502, 503, 504).get(random.nextInt(4)));
            }
            case "lost_response", "reject_orders" -> f.put("count", 1);
            case "duplicate_updates", "out_of_order_updates" -> f.put("probability", 0.5 * random.nextDouble());
            case "partial_fills" -> f.put("probability", 0.6 * random.nextDouble());
            case "delayed_fills" -> f.put("minutes", random.nextInt(4));
            case "halt" -> {
                String symbol = names.get(random.nextInt(names.size()));
                f.put("symbol", symbol);
                f.put("halted", true);
                haltedUntil.put(symbol, minute + 5 + random.nextInt(40));
            }
            default -> {
                // slow_client, rate_limit_burst: no parameters
            }
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/sim/faults"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(f))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the simulator refused fault " + f + ": " + r.body());
        }
        injected.merge(kind, 1L, Long::sum);
    }

    private void resumeHalts(int minute) throws IOException, InterruptedException {
        for (var it = haltedUntil.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue() <= minute) {
                http.send(HttpRequest.newBuilder(server.baseUri().resolve("/sim/faults")).POST(HttpRequest.BodyPublishers
                        .ofString("{\"kind\":\"halt\",\"symbol\":\"" + e.getKey() + "\",\"halted\":false}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                it.remove();
            }
        }
    }

    private String pickKind() {
        double total = WEIGHTS.values().stream().mapToDouble(Double::doubleValue).sum();
        double x = random.nextDouble() * total;
        for (Map.Entry<String, Double> e : WEIGHTS.entrySet()) {
            x -= e.getValue();
            if (x < 0) {
                return e.getKey();
            }
        }
        return "http_5xx";
    }

    private static Map<String, Double> weights() {
        Map<String, Double> w = new LinkedHashMap<>();
        for (String k : io.foresail.alpacasim.fault.FaultSpec.KINDS) {
            w.put(k, 1.0);
        }
        w.put("rate_limit_burst", 0.05);
        return w;
    }

    // ---- the trader process --------------------------------------------------------------------

    private void startTrader(Path config, Path state) {
        trader = TraderJvm.start(home, bed.traderArgs(config, state, s.mlflow()), bed.traderEnv(), state,
                s.dir().resolve("trader.log"), Duration.ofSeconds(120));
        traderStarts++;
    }

    private void post(String pathAndQuery) {
        HttpResponse<String> r = trader.post(pathAndQuery);
        if (r.statusCode() != 200) {
            problems.add("POST " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private boolean awaitDecision(Path state, int g) throws InterruptedException {
        // a rate-limit burst holds the account for up to a minute
        if (bed.awaitBar(g, new StateFile(state), Duration.ofSeconds(75))) {
            return true;
        }
        LOG.warn("chaos: no decision for bar {} within 75 s", bed.grid().start(g));
        return false;
    }

    // ---- the checks ----------------------------------------------------------------------------

    private void checkPositions(Path state, String when) throws InterruptedException {
        Map<String, Double> broker = brokerPositions();
        Map<String, Double> fromFills = new StateFile(state).positionsFromFills();
        positionChecks++;
        if (!close(fromFills, broker)) {
            positionMismatches++;
            problems.add("positions " + when + ": trader's fills " + fromFills + ", broker " + broker);
        }
    }

    private static boolean close(Map<String, Double> a, Map<String, Double> b) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            if (Math.abs(a.getOrDefault(k, 0.0) - b.getOrDefault(k, 0.0)) > 1e-6) {
                return false;
            }
        }
        return true;
    }

    /** The broker's positions, read from the simulator itself (its API may be answering a fault). */
    private Map<String, Double> brokerPositions() {
        Map<String, Double> out = new TreeMap<>();
        for (AlpacaPosition p : sim.account().positions()) {
            out.put(p.symbol(), p.qty().doubleValue());
        }
        return out;
    }

    private Report report(Path state, int bars, int decided, Duration wall) {
        Ledger.Snapshot ledger = sim.ledger().snapshot();
        Set<String> ids = new HashSet<>();
        long duplicateIds = 0;
        Map<String, Integer> perDecision = new HashMap<>();
        long whileKilled = 0;
        long inFlightAtKill = 0;
        for (AlpacaOrder o : ledger.orders()) {
            if (!ids.add(o.clientOrderId())) {
                duplicateIds++;
            }
            // strategy-bar-symbol-attempt[leg]: one order per decision, name and leg, whatever the attempt
            String id = o.clientOrderId();
            int cut = id.lastIndexOf('-');
            String leg = id.substring(cut + 1).replaceAll("[0-9]", "");
            perDecision.merge(id.substring(0, cut) + "/" + leg, 1, Integer::sum);
            Instant at = o.submittedAt();
            for (KillWindow w : killWindows) {
                // Engaged once the bar in progress was decided, while its orders were going out
                // (all at once): those already sent reach the venue after it and are cancelled by
                // it. A reversal's opening leg waits for its closing leg's fill, after the kill, so
                // it must not go; nor any order of a later decision inside the window.
                if (at.isAfter(w.from()) && !at.isAfter(w.to())) {
                    if (id.contains("-" + w.barInProgress() + "-") && !id.endsWith("o")) {
                        inFlightAtKill++;
                    } else {
                        whileKilled++;
                    }
                }
            }
        }
        long duplicatePerDecision = perDecision.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        Set<String> ledgerFills = new HashSet<>();
        for (FillActivity f : ledger.fills()) {
            ledgerFills.add(f.id());
        }
        Set<String> stateFills = new HashSet<>(query(state, "SELECT execution_id FROM fills"));
        long missing = ledgerFills.stream().filter(f -> !stateFills.contains(f)).count();
        long unknown = stateFills.stream().filter(f -> !ledgerFills.contains(f)).count();
        Set<String> stateOrders = new HashSet<>(query(state, "SELECT client_order_id FROM orders"));
        long untracked = ids.stream().filter(i -> !stateOrders.contains(i)).count();
        long withoutVersion = query(state, "SELECT client_order_id FROM orders WHERE model_version IS NULL").size();
        Set<String> versions = new TreeSet<>(query(state, "SELECT DISTINCT model_version FROM orders WHERE model_version IS NOT NULL"));
        if (duplicateIds > 0) {
            problems.add(duplicateIds + " duplicate client order ids");
        }
        if (duplicatePerDecision > 0) {
            problems.add(duplicatePerDecision + " duplicate orders per decision");
        }
        if (missing > 0) {
            problems.add(missing + " fills missing from the trader's state");
        }
        if (unknown > 0) {
            problems.add(unknown + " fills in the trader's state the broker does not have");
        }
        if (untracked > 0) {
            problems.add(untracked + " orders at the broker the trader's state does not hold");
        }
        if (whileKilled > 0) {
            problems.add(whileKilled + " orders while the kill switch was engaged");
        }
        if (withoutVersion > 0) {
            problems.add(withoutVersion + " orders naming no model version");
        }
        if (ledger.orders().isEmpty()) {
            problems.add("no orders at all: nothing was exercised");
        }
        Map<String, Long> fired = new TreeMap<>(ledger.faults());
        return new Report(injected, fired, traderStarts - 1, positionChecks, killWindows.size(), bars, decided,
                ledger.orders().size(), ledger.fills().size(), duplicateIds, duplicatePerDecision, missing, unknown,
                positionMismatches, whileKilled, inFlightAtKill, withoutVersion, versions, List.copyOf(problems), wall);
    }

    private static List<String> query(Path state, String sql) {
        return new StateFile(state).column(sql);
    }
}
