package io.foresail.pipelines.trader;

import io.foresail.alpacasim.Simulator;
import io.foresail.alpacasim.market.ReplayMarket;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.alpacasim.server.SimServerConfig;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.market.TradingSession;
import io.foresail.core.universe.Equity;
import io.foresail.core.universe.Sector;
import io.foresail.core.universe.Universe;
import io.foresail.data.store.BarSeries;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SyntheticMarket;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.set.FeatureSetId;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.features.spec.FeatureSetSpec;
import io.foresail.inference.RunningPlan;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitProvenance;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelInputs;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.gbm.XGBoostTrainer;
import io.foresail.models.linear.RidgeTrainer;
import io.foresail.registry.ModelCache;
import io.foresail.registry.ModelVersion;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowModelRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A trader's world for the chaos suite and the trader benchmark: a seeded synthetic market
 * replayed by an in-process simulator (stepped: it moves only when told, so a run goes as fast as
 * the trader keeps up), and champions of a feature plan over that market's universe published to
 * MLflow. The traded sessions follow {@code historySessions} of history (the trader's warm-up
 * reads it over REST). The caller closes it (the simulator).
 */
public final class Testbed implements AutoCloseable {
    public static final String KEY_ID = "FORESAIL-TESTBED-KEY";
    public static final String SECRET = "foresail-testbed-secret";

    private final Simulator sim;
    private final SimServer server;
    private final Universe universe;
    private final BarGrid grid;
    private final int first;
    private final int last;
    private final MlflowModelRegistry registry;
    private final Path dir;

    private Testbed(Simulator sim, SimServer server, Universe universe, BarGrid grid, int first, int last,
                    MlflowModelRegistry registry, Path dir) {
        this.sim = sim;
        this.server = server;
        this.universe = universe;
        this.grid = grid;
        this.first = first;
        this.last = last;
        this.registry = registry;
        this.dir = dir;
    }

    /**
     * Generates the market ({@code symbols} equities and a benchmark, 15-minute bars from
     * {@code firstDay}) and starts the simulator at the open of the first traded session.
     */
    public static Testbed create(int symbols, LocalDate firstDay, int historySessions, int sessions, long seed, Path dir,
                                 URI mlflow) {
        return create(symbols, firstDay, historySessions, sessions, seed, dir, mlflow, java.time.Duration.ZERO);
    }

    /** The same, with every API answer of the simulator a network round trip ({@code latency}) late. */
    public static Testbed create(int symbols, LocalDate firstDay, int historySessions, int sessions, long seed, Path dir,
                                 URI mlflow, java.time.Duration latency) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TradingCalendar calendar = TradingCalendar.nyse();
        BarGrid grid = calendar.grid(Timeframe.MIN_15);
        List<TradingSession> days = calendar.sessions(firstDay, firstDay.plusDays(2L * (historySessions + sessions) + 14));
        TradingSession runDay = days.get(historySessions);
        TradingSession lastDay = days.get(historySessions + sessions - 1);
        SyntheticMarket.Result market = SyntheticMarket.generate(SynthConfig.builder().symbols(symbols).start(firstDay)
                .end(lastDay.date().plusDays(7)).seed(seed).splits(0).build());
        Map<String, List<Bar>> series = new LinkedHashMap<>();
        for (BarSeries b : market.rawSeries()) {
            List<Bar> list = new ArrayList<>(b.size());
            for (int i = 0; i < b.size(); i++) {
                list.add(b.bar(i));
            }
            series.put(b.symbol(), list);
        }
        List<Equity> equities = market.equities().stream().map(SyntheticMarket.SymbolData::equity).toList();
        Equity bench = market.benchmark().equity();
        Universe universe = new Universe(new Equity(bench.symbol(), bench.name(), Sector.BENCHMARK), equities);
        int first = grid.ceilingIndex(runDay.open().getEpochSecond());
        int last = grid.ceilingIndex(lastDay.close().getEpochSecond()) - 1;
        Simulator sim = new Simulator(new ReplayMarket(series, Timeframe.MIN_15, calendar, seed), ExecutionConfig.defaults(),
                grid.start(first), 0);
        SimServer server = SimServer.start(sim, new SimServerConfig("127.0.0.1", 0, KEY_ID, SECRET, 1_000_000, 10_000, latency));
        MlflowModelRegistry registry = new MlflowModelRegistry(MlflowClient.of(MlflowEndpoint.of(mlflow)),
                new ModelCache(dir.resolve("registry-cache")));
        return new Testbed(sim, server, universe, grid, first, last, registry, dir);
    }

    /**
     * Publishes {@code count} versions of {@code name}, each fitted (with its own seed) to random
     * rows of the plan's width, the alias {@code champion} on the first.
     *
     * @param spec    the feature set spec (YAML) whose plan the models record
     * @param xgboost gradient-boosted trees (they take missing values) instead of ridge
     */
    public List<ModelVersion> publishChampions(String name, String spec, int count, long seed, boolean xgboost) {
        try {
            FeaturePlan plan = FeaturePlan.resolve(FeatureSetSpec.load(Files.writeString(dir.resolve("features.yaml"), spec)),
                    FeatureLibrary.standard());
            RunningPlan running = RunningPlan.of(plan, Timeframe.MIN_15, universe);
            ModelInputs inputs = new ModelInputs("testbed-set", FeatureSetId.planHash(running.document()), "synthetic",
                    running.document());
            List<ModelVersion> out = new ArrayList<>();
            for (int v = 0; v < count; v++) {
                long s = seed * 31 + v;
                int p = running.columns().size();
                SplittableRandom r = new SplittableRandom(s);
                int n = 400;
                float[] x = new float[n * p];
                float[] y = new float[n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < p; j++) {
                        x[i * p + j] = (float) r.nextGaussian();
                    }
                    y[i] = (float) (x[i * p + (v % p)] + 0.3 * x[i * p + Math.min(1, p - 1)] + 0.1 * r.nextGaussian());
                }
                var trainer = xgboost ? new XGBoostTrainer() : new RidgeTrainer();
                FitProvenance prov = new FitProvenance(Task.REGRESSION, trainer.searchSpace().withOverrides(
                        xgboost ? Map.of("rounds", 50) : Map.of()), running.columns(), "label_fwd_1_raw", "testbed-set", "", "",
                        s, 1, inputs);
                Path modelDir = dir.resolve("models").resolve(name + "-v" + v);
                deleteTree(modelDir);
                TrainingData d = new TrainingData(new FeatureMatrix(x, n, p), y);
                try (Model m = trainer.fit(new FitRequest(d, d, prov))) {
                    m.save(modelDir);
                }
                out.add(registry.publishInOwnRun("testbed", name, modelDir, "testbed model " + v, Map.of()));
            }
            registry.setAlias(name, "champion", out.get(0).version());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Publishes a copy of a registered version ({@code source}, e.g. a quickstart's stacked
     * ensemble) as {@code name}, the alias {@code champion} on it: the trader serves a real model
     * while the source's own aliases stay untouched. The model's universe must be this market's.
     *
     * @throws io.foresail.core.error.InvalidInputException when the model records no feature plan or
     *         trades other symbols than this market has
     */
    public ModelVersion publishCopy(String name, io.foresail.registry.ModelRef source) {
        ModelVersion v = registry.resolve(source);
        Path artifact = registry.fetch(v);
        io.foresail.models.ModelCard card = io.foresail.models.ModelArtifact.readCard(artifact);
        if (card.inputs() == null) {
            throw new io.foresail.core.error.InvalidInputException(source + " records no feature plan; retrain it");
        }
        List<String> wanted = RunningPlan.recomputed(card.inputs()).symbols();
        List<String> have = universe.equities().stream().map(Equity::symbol).toList();
        if (!new java.util.HashSet<>(have).containsAll(wanted)) {
            throw new io.foresail.core.error.InvalidInputException(source + " trades " + wanted.size() + " symbols ("
                    + wanted.stream().filter(s -> !have.contains(s)).limit(5).toList() + " among them) that this synthetic "
                    + "market of " + have.size() + " equities does not have; give the bench the --symbols and --seed of "
                    + "the model's market");
        }
        ModelVersion copy = registry.publishInOwnRun("testbed", name, artifact, "copy of " + v.name() + "/" + v.version(),
                Map.of());
        registry.setAlias(name, "champion", copy.version());
        return copy;
    }

    /** Moves the {@code champion} alias. */
    public void promote(ModelVersion v) {
        registry.setAlias(v.name(), "champion", v.version());
    }

    /**
     * A trader configuration for a stepped run: any free port, fast polling and ticks, guards
     * that do not fire on the simulator's pauses, a long-short book rebuilt every bar.
     */
    public Path writeConfig(String modelName, int k, int historyBars) {
        return writeConfig(modelName, k, historyBars, Knobs.FOR_TESTS);
    }

    /**
     * The trader's settings a run may turn: its broker requests of a bar at once and a stacked
     * ensemble's member threads (null: the trader's defaults), how often it checks the champion's
     * alias (0.3 s for tests that move it; the trader's default is 30 s, and each check is a request
     * MLflow answers on the same cores) and how often its ticker runs (50 ms for tests; the
     * default is 1 s, and against the simulator each tick asks the venue's clock over HTTP), and the
     * bar's threads' nice value or realtime priority (null: the process's own).
     */
    public record Knobs(Integer requestsInFlight, Integer memberThreads, double pollSeconds, int tickMillis,
                        Integer barThreadsNice, Integer barThreadsRealtime) {
        public static final Knobs FOR_TESTS = new Knobs(null, null, 0.3, 50, null, null);
        /** The trader's own defaults for the timers, as it runs in production. */
        public static final Knobs AS_DEPLOYED = new Knobs(null, null, 30, 1000, null, null);

        public Knobs withRequestsInFlight(Integer n) {
            return new Knobs(n, memberThreads, pollSeconds, tickMillis, barThreadsNice, barThreadsRealtime);
        }

        public Knobs withMemberThreads(Integer n) {
            return new Knobs(requestsInFlight, n, pollSeconds, tickMillis, barThreadsNice, barThreadsRealtime);
        }

        /** The trader's {@code bars.threads_nice} and {@code bars.threads_realtime} (it refuses both at once). */
        public Knobs withBarThreads(Integer nice, Integer realtime) {
            return new Knobs(requestsInFlight, memberThreads, pollSeconds, tickMillis, nice, realtime);
        }

        private String barsSettings() {
            return (barThreadsNice == null ? "" : ", threads_nice: " + barThreadsNice)
                    + (barThreadsRealtime == null ? "" : ", threads_realtime: " + barThreadsRealtime);
        }
    }

    /** The same, with {@code knobs}. */
    public Path writeConfig(String modelName, int k, int historyBars, Knobs knobs) {
        String yaml = """
                mode: sim
                alpaca: {%s}
                model: {name: %s, alias: champion, poll_seconds: %s%s}
                http: {port: 0}
                bars: {grace_seconds: 1, history_bars: %d, tick_millis: %d%s}
                guards: {max_consecutive_rejects: 1000000, stale_data_bars: 1000000}
                strategy:
                  name: testbed
                  portfolio: {construction: long_short_quantiles, k: %d}
                  rebalance: {every_bars: 1}
                  no_trade_band: 0.0
                  risk:
                    target_volatility: 0
                    max_name: 0.25
                    max_sector: 1.0
                    daily_loss_limit: 0.9
                    drawdown_ladder: [{drawdown: 0.9, scale: 0.0}]
                """.formatted(knobs.requestsInFlight() == null ? "" : "requests_in_flight: " + knobs.requestsInFlight(),
                modelName, Double.toString(knobs.pollSeconds()),
                knobs.memberThreads() == null ? "" : ", member_threads: " + knobs.memberThreads(), historyBars,
                knobs.tickMillis(), knobs.barsSettings(), k);
        try {
            return Files.writeString(dir.resolve("trader-" + modelName + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The trader's arguments for this testbed ({@code run} is added by {@link TraderJvm#start}). */
    public List<String> traderArgs(Path config, Path stateDir, URI mlflow) {
        return List.of("--config", config.toString(), "--state-dir", stateDir.toString(), "--sim-url",
                server.baseUri().toString(), "--mlflow", mlflow.toString());
    }

    /** The environment that gives the trader the simulator's keys. */
    public Map<String, String> traderEnv() {
        return Map.of("FORESAIL_SIM_KEY_ID", KEY_ID, "FORESAIL_SIM_SECRET_KEY", SECRET);
    }

    public Simulator simulator() {
        return sim;
    }

    public SimServer server() {
        return server;
    }

    public Universe universe() {
        return universe;
    }

    public BarGrid grid() {
        return grid;
    }

    /** The first traded bar's grid index. */
    public int firstBar() {
        return first;
    }

    /** The last traded bar's grid index. */
    public int lastBar() {
        return last;
    }

    /**
     * Plays grid bar {@code g}: its fifteen minutes, paced so that the stream keeps up (a client
     * that falls behind is cut off, as Alpaca does), then waits for the trader's decision.
     *
     * @return whether the bar was decided within {@code patience}
     */
    public boolean playBar(int g, StateFile state, Duration patience) throws InterruptedException {
        return playBar(g, state, patience, Duration.ofMillis(2));
    }

    /**
     * Plays grid bar {@code g} with {@code minuteGap} between its minutes (at least 2 ms, for the
     * stream; more leaves the trader as quiet before a bar's close as a market's minute does: the
     * previous bar's fills, reconciliation and bookkeeping done), then waits for the decision.
     *
     * @return whether the bar was decided within {@code patience}
     */
    public boolean playBar(int g, StateFile state, Duration patience, Duration minuteGap) throws InterruptedException {
        long gap = Math.max(2, minuteGap.toMillis());
        for (int m = 1; m <= 15; m++) {
            sim.advanceTo(grid.start(g).plusSeconds(60L * m));
            Thread.sleep(gap);
        }
        return awaitBar(g, state, patience);
    }

    /**
     * Waits for the trader's decision of bar {@code g}, whose minutes have been played. The
     * stepped clock stands at the bar's end: if a minute went missing the trader closes the bar
     * only once its grace has passed by the venue's clock, so after a moment the clock is moved
     * two seconds on, as a running market's would be.
     */
    public boolean awaitBar(int g, StateFile state, Duration patience) throws InterruptedException {
        if (state.awaitDecision(grid.start(g), Duration.ofSeconds(2))) {
            return true;
        }
        sim.advanceTo(grid.end(g).plusSeconds(2));
        return state.awaitDecision(grid.start(g), patience);
    }

    /** Moves the simulator's clock to {@code t} (minute by minute: the stream delivers each). */
    public void advanceTo(Instant t) {
        sim.advanceTo(t);
    }

    /** Deletes a directory tree (a run's scratch state), if it exists. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
