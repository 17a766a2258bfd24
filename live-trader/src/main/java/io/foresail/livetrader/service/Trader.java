package io.foresail.livetrader.service;

import io.foresail.alpaca.rest.AlpacaBarsClient;
import io.foresail.alpaca.rest.AlpacaCredentials;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.io.Json;
import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.universe.Equity;
import io.foresail.core.universe.Sector;
import io.foresail.core.universe.Universe;
import io.foresail.features.engine.OnlineFeatureEngine;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.set.FeatureSetId;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.inference.BarPredictions;
import io.foresail.inference.ChampionPredictor;
import io.foresail.inference.ChampionWatcher;
import io.foresail.inference.EnsembleLanes;
import io.foresail.inference.InferenceMetrics;
import io.foresail.inference.RunningPlan;
import io.foresail.inference.ServedVersion;
import io.foresail.livetrader.alpaca.AlpacaBroker;
import io.foresail.livetrader.alpaca.AlpacaEndpoints;
import io.foresail.livetrader.bars.BarIntake;
import io.foresail.livetrader.state.TraderState;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelInputs;
import io.foresail.registry.ModelRef;
import io.foresail.registry.ModelRegistry;
import io.foresail.registry.ModelVersion;
import io.foresail.trading.broker.BrokerException;
import io.foresail.trading.broker.Order;
import io.foresail.trading.broker.OrderStatus;
import io.foresail.trading.broker.OrderUpdate;
import io.foresail.trading.broker.Position;
import io.foresail.trading.decision.Book;
import io.foresail.trading.decision.Decision;
import io.foresail.trading.decision.DecisionPath;
import io.foresail.trading.decision.Scores;
import io.foresail.trading.orders.OrderIntent;
import io.foresail.trading.risk.KillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The trading service: the champion's scores on every bar, through the backtest's
 * {@link DecisionPath}, into Alpaca orders. One instance per account and state file.
 *
 * <p>Start-up, in this order, before any decision: open the state (its kill switch restored), load
 * the champion and derive the running feature plan and universe from it, connect the broker and
 * recover the fills made while the trader was down, reconcile positions, warm the features and the
 * risk state from the bars API's history, then stream bars. Every bar close: correct any bar found
 * wrong since (the features re-synchronise), score, settle the book (cancel the orders still open
 * from earlier bars and wait for their last fills; a name whose order has not settled is not traded
 * this bar), decide, send, record. Bars decide from the trader's own {@link TraderBook} (positions
 * from its recorded fills, cash from the broker's as last read while quiet, moved by every fill
 * since), so the usual bar makes no broker request before its orders; the reconciler checks the
 * book against the broker after bars and halts trading on a divergence. The kill
 * switch (HTTP, the {@code KILL} file, the CLI, or a guard: repeated rejects, stale data, a
 * reconciliation divergence, and the decision path's own drawdown and loss limits) stops new
 * orders at once and cancels open ones; FLATTEN closes positions at the next bar close, through the
 * decision path, with its deterministic order ids.
 *
 * <p>Threads: one bar thread runs every bar, correction and kill-switch action in order; a ticker
 * closes bars whose last minute never came and watches the guards; a reconciler compares
 * positions with the broker's after each bar (a divergence halts trading at once); the broker's
 * event thread records order events and fills; a small pool ({@code alpaca.requests_in_flight})
 * carries a bar's broker requests at once (each symbol's order legs in order), while the bar
 * thread waits for all of them. {@link #close} (SIGTERM) finishes the bar in progress, then
 * closes the streams and the state.
 */
public final class Trader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Trader.class);
    /**
     * How long a bar waits for its earlier orders' last reports and fills (a cancel's answer, a
     * fill that raced it) before it asks the account's activities, and again after.
     */
    private static final Duration SETTLE_PATIENCE = Duration.ofSeconds(1);

    /**
     * What a trader needs besides its configuration.
     *
     * @param venueClock the venue's time (the simulator's clock, or the wall clock for Alpaca)
     * @param tick       how often the ticker runs (closing overdue bars, guards, the kill file);
     *                   null: the configuration's {@code bars.tick_millis}
     */
    public record Wiring(TraderConfig config, AlpacaEndpoints endpoints, AlpacaCredentials credentials,
                         ModelRegistry registry, Path stateDir, Supplier<Instant> venueClock, Duration tick) {
        public Wiring {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(endpoints, "endpoints");
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(stateDir, "stateDir");
            Objects.requireNonNull(venueClock, "venueClock");
            tick = tick == null ? config.bars().tick() : tick;
        }
    }

    private final Wiring wiring;
    private final TraderConfig config;
    private final TradingCalendar calendar = TradingCalendar.nyse();
    private final TraderMetrics metrics = new TraderMetrics();
    private final InferenceMetrics inferenceMetrics = new InferenceMetrics();
    private final KillSwitch killSwitch = new KillSwitch();
    private final Map<String, String> versionByClientId = new ConcurrentHashMap<>();
    /** Bars, one at a time, at the bar's threads' priority where the configuration sets one. */
    private final ThreadPoolExecutor barThread;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "trader-tick"));
    /** Periodic reconciliation, off the bar thread: fills in flight need a moment, which no bar should wait for. */
    private final ThreadPoolExecutor reconciler = pool(1, r -> daemon(r, "trader-reconcile"));
    private final AtomicBoolean reconciling = new AtomicBoolean();
    /** When a decision's record is forced onto the disk (the configuration's, parsed once). */
    private final TraderConfig.DecisionOnDisk decisionOnDisk;
    /** Decisions' records forced onto the disk while their orders travel ({@code decision_on_disk: with_orders}). */
    private final ThreadPoolExecutor stateSync = pool(1, r -> daemon(r, "trader-state-sync"));
    /** A bar's broker requests in flight at once: a round trip each, not one after the other. */
    private final ThreadPoolExecutor brokerRequests;
    /** The bar's threads' priority ({@code bars.threads_nice} or {@code bars.threads_realtime}); empty: the process's own. */
    private final java.util.Optional<BarThreadsPriority> priority;
    /**
     * Reversals' opening legs, by the client order id of their closing leg: a venue refuses an
     * order that would take a position through zero while the closing order is still open, so the
     * opening leg goes once the closing one has filled.
     */
    private final Map<String, OpeningLeg> openingLegs = new ConcurrentHashMap<>();
    private final Set<String> unconfirmed = new HashSet<>();
    private final List<BarIntake.Late> corrections = new ArrayList<>();

    private TraderState state;
    /** The account as the trader's own fills and reports have it: what each bar decides from. */
    private TraderBook book;
    private ChampionWatcher watcher;
    private RunningPlan plan;
    private BarGrid grid;
    private List<String> symbols;
    /** Each symbol's place in {@link #symbols}, the decision path's order. */
    private final Map<String, Integer> index = new HashMap<>();
    private String benchmark;
    private DecisionPath path;
    private LiveScoring scoring;
    /** Threads for an ensemble's members beside the bar thread (null: none); the bar thread's alone to use. */
    private EnsembleLanes lanes;
    private AlpacaBroker broker;
    private AlpacaBarsClient data;
    private BarIntake intake;
    private TraderHttp http;
    private volatile boolean reconciled;
    private volatile Instant lastBarHandedOver;
    /** The last bar that held any data: what the stale-data guard measures from. */
    private volatile Instant lastBarWithData;
    private volatile Instant lastDecidedBar;
    private volatile Decision lastDecision;
    private volatile String lastSkip;
    private volatile double sessionStartEquity = Double.NaN;
    private volatile LocalDate session;
    private volatile boolean closing;
    private final LatencyLog latencies = new LatencyLog(10_000);
    /** Time the current bar spent waiting on the broker (the network round trips), in nanoseconds. */
    private long brokerNanos;
    /** Orders refused in a row, across the pool's threads; reset by any order accepted. */
    private final AtomicInteger consecutiveRejects = new AtomicInteger();
    private long barsSinceReconcile;
    private final AtomicLong ordersSent = new AtomicLong();
    private String lastVersionServed;

    public Trader(Wiring wiring) {
        this.wiring = wiring;
        this.config = wiring.config();
        this.decisionOnDisk = config.decisionDurability();
        this.priority = config.bars().priority();
        this.barThread = pool(1, barPathThreads("trader-bars", false));
        this.brokerRequests = pool(config.alpaca().requestsInFlight(), barPathThreads("trader-broker", true));
    }

    /**
     * {@code n} threads from {@code threads}, started by {@link #start}: from the starting thread,
     * not lazily from whichever thread first hands them work, as Linux gives a new thread its
     * creator's nice (the bar thread's, at {@code bars.threads_nice}), and so that no bar pays
     * for a thread's start.
     */
    private static ThreadPoolExecutor pool(int n, ThreadFactory threads) {
        return new ThreadPoolExecutor(n, n, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads);
    }

    /** Threads on a bar's path: at the configured priority, else plain daemons. */
    private ThreadFactory barPathThreads(String name, boolean numbered) {
        if (priority.isPresent()) {
            return priority.get().threads(name, numbered);
        }
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, numbered ? name + "-" + n.incrementAndGet() : name);
    }

    /** Starts the service; returns once it trades (or has refused to start, with the reason thrown). */
    public Trader start() {
        try {
            // First: a priority the process may not take refuses the start before anything is opened.
            priority.ifPresent(BarThreadsPriority::verify);
            for (ThreadPoolExecutor p : List.of(barThread, brokerRequests, reconciler, stateSync)) {
                p.prestartAllCoreThreads();
            }
            state = TraderState.open(wiring.stateDir().resolve("trader.db"));
            book = new TraderBook(state);
            restoreKillSwitch();
            loadChampion();
            connectBroker();
            reconcile("start", Duration.ZERO); // orders open at start settle at the first bar, not before ready
            warmUp();
            markHeldWithoutBars(broker.positions());
            startBars();
            http = TraderHttp.start(this, config.http().host(), config.http().port());
            writeProcessFile();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        long tickMs = wiring.tick().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
        LOG.info("trader started: mode {}{}, model {}, {} symbols, http {}", config.venue(),
                config.dryRun() ? " (dry run: nothing is sent)" : "", watcher.serving().map(Object::toString).orElse("none"),
                symbols.size(), http.uri());
        return this;
    }

    // ---- start-up ------------------------------------------------------------------------------

    private void restoreKillSwitch() {
        state.killSwitch().ifPresent(e -> {
            if (!e.state().equals("OFF")) {
                killSwitch.engage(KillSwitch.Mode.valueOf(e.state()), e.why(), e.who(), e.at());
                LOG.warn("kill switch engaged since {} by {} ({}): no orders until './foresail trader resume'", e.at(),
                        e.who(), e.why());
            }
        });
        updateKillGauge();
    }

    private void loadChampion() {
        ModelRef ref = ModelRef.alias(config.model().name(), config.model().alias());
        ModelVersion v = wiring.registry().alias(ref.name(), config.model().alias())
                .orElseThrow(() -> new InvalidInputException("no version of model '" + ref.name() + "' has the alias '"
                        + config.model().alias() + "'; promote one first (./foresail models promote, or the MLflow UI)"));
        ModelCard card = ModelArtifact.readCard(wiring.registry().fetch(v));
        ModelInputs inputs = card.inputs();
        if (inputs == null) {
            throw new InvalidInputException(ref + " (version " + v.version() + ") records no feature plan; retrain it on a "
                    + "rebuilt feature set");
        }
        plan = RunningPlan.recomputed(inputs);
        Timeframe timeframe = Timeframe.parse(inputs.timeframe());
        grid = calendar.grid(timeframe);
        benchmark = inputs.benchmark();
        List<Equity> equities = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(inputs.sectors()).entrySet()) {
            equities.add(new Equity(e.getKey(), e.getKey(), Sector.parse(e.getValue())));
        }
        Universe universe = new Universe(new Equity(benchmark, benchmark, Sector.BENCHMARK), equities);
        symbols = plan.symbols();
        for (int i = 0; i < symbols.size(); i++) {
            index.put(symbols.get(i), i);
        }
        List<String> sectors = symbols.stream().map(s -> inputs.sectors().get(s)).toList();
        path = new DecisionPath(config.strategy(), symbols, sectors, calendar, grid, killSwitch);
        FeaturePlan featurePlan = FeaturePlan.resolve(FeatureSetId.specFromJson(inputs.plan().path("spec").toString()),
                FeatureLibrary.standard());
        ChampionWatcher.Settings settings = ChampionWatcher.Settings.of(config.model().name())
                .withAlias(config.model().alias())
                .withPolling(config.model().poll(), null, null);
        watcher = new ChampionWatcher(wiring.registry(), plan, settings, inferenceMetrics, Clock.systemUTC());
        ChampionWatcher.Check first = watcher.reload(); // at once, so that a refusal stops the start with its reason
        ServedVersion served = watcher.serving().orElseThrow(() -> new InvalidInputException("model " + ref
                + " (version " + v.version() + ") cannot be served: " + first.outcome() + ", " + first.reason()
                + " ('./foresail models serve-check " + ref + "' runs every step)"));
        watcher.start();
        state.recordModelVersion(Instant.now(), served.name(), served.version());
        lastVersionServed = served.toString();
        Supplier<OnlineFeatureEngine> engines = () -> OnlineFeatureEngine.builder(featurePlan).universe(universe)
                .calendar(calendar).timeframe(timeframe).build();
        lanes = config.model().memberThreads() == 0 ? null
                : new EnsembleLanes(config.model().memberThreads(), barPathThreads("inference-member", true));
        scoring = new LiveScoring(engines, () -> new ChampionPredictor(watcher, plan, inferenceMetrics, lanes),
                config.bars().historyBars());
        registerMetrics();
    }

    private void connectBroker() {
        broker = new AlpacaBroker(wiring.endpoints(), wiring.credentials(), AlpacaBroker.Settings.defaults(),
                state.lastFillAt().orElse(null));
        broker.onUpdate(this::onOrderUpdate);
        broker.knownExecutions(state::hasFill);
        broker.start();
        for (Order o : broker.openOrders()) {
            recordOrder(o);
        }
        // Orders decided before a crash whose acknowledgement was never written: whatever became
        // of them at the broker (filled, cancelled, rejected) is recorded now.
        int found = 0;
        Map<String, String> unacknowledged = state.intentsWithoutOrder(wiring.venueClock().get().minus(Duration.ofDays(7)));
        for (Map.Entry<String, String> e : unacknowledged.entrySet()) {
            Optional<Order> o = broker.orderByClientId(e.getKey());
            if (o.isPresent()) {
                if (o.get().status().isOpen()) {
                    versionByClientId.put(e.getKey(), e.getValue());
                }
                recordOrder(o.get(), e.getValue());
                found++;
            }
        }
        if (!unacknowledged.isEmpty()) {
            LOG.info("start: {} decided order(s) without a recorded acknowledgement; {} found at the broker and recorded, "
                    + "the rest were never sent", unacknowledged.size(), found);
        }
        data = AlpacaBarsClient.builder(wiring.credentials()).baseUrl(wiring.endpoints().data().toString()).build();
    }

    /** Warms the features, the predictor's windows and the risk state from the bars API's history. */
    private void warmUp() {
        Instant now = wiring.venueClock().get();
        int last = lastEndedBar(now);
        if (last < 0) {
            throw new InvalidInputException("no bar of the " + calendar.name() + " grid has ended by " + now);
        }
        int first = Math.max(0, last - config.bars().historyBars() + 1);
        List<String> all = new ArrayList<>(symbols);
        all.add(benchmark);
        long t0 = System.nanoTime();
        Map<String, List<Bar>> history = data.fetchAll(all, grid.timeframe(), grid.start(first), grid.start(last),
                config.alpaca().feed(), "raw");
        TreeMap<Instant, Map<String, Bar>> bySlot = new TreeMap<>();
        history.forEach((symbol, bars) -> bars.forEach(b -> bySlot.computeIfAbsent(b.start(), k -> new HashMap<>())
                .put(symbol, b)));
        double[] close = new double[symbols.size()];
        for (Map.Entry<Instant, Map<String, Bar>> e : bySlot.entrySet()) {
            scoring.warm(e.getKey(), e.getValue());
            book.mark(e.getValue());
            closes(e.getValue(), close);
            path.riskState().covariance().observe(close);
        }
        for (TraderState.EquityPoint p : state.equityHistory()) {
            path.riskState().observeEquity(p.at().atZone(calendar.zone()).toLocalDate(), p.equity());
        }
        lastBarHandedOver = grid.start(last);
        lastBarWithData = bySlot.isEmpty() ? grid.start(last) : bySlot.lastKey();
        LOG.info("warm-up: {} bars ({} to {}) over REST in {} ms", bySlot.size(), grid.start(first), grid.start(last),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Positions the bars do not price (a name outside the universe): counted at their entry price. */
    private void markHeldWithoutBars(List<Position> atBroker) {
        for (Position p : atBroker) {
            book.markIfUnknown(p.symbol(), p.averageEntryPrice());
        }
    }

    private void startBars() {
        List<String> all = new ArrayList<>(symbols);
        all.add(benchmark);
        intake = new BarIntake(grid, all, data, config.alpaca().feed(), slot -> {
            lastBarHandedOver = slot.start();
            if (!slot.bars().isEmpty()) {
                lastBarWithData = slot.start();
            }
            long receivedAt = System.nanoTime();
            barThread.execute(() -> onBar(slot, receivedAt));
        });
        intake.onLate(late -> barThread.execute(() -> corrections.add(late)));
        intake.expectFrom(lastBarHandedOver.plusSeconds(1));
        intake.start(wiring.endpoints(), wiring.credentials(), Duration.ofSeconds(5));
    }

    // ---- the bar loop --------------------------------------------------------------------------

    private void onBar(BarIntake.Slot slot, long receivedAt) {
        if (closing) {
            LOG.info("bar {}: shutting down; not decided (the next start reconciles)", slot.start());
            return;
        }
        try {
            decideBar(slot, receivedAt);
        } catch (RuntimeException e) {
            metrics.bars.labelValues("failed").inc();
            lastSkip = "bar " + slot.start() + " failed: " + e.getMessage();
            LOG.error("bar {}: the decision failed; no orders sent for it", slot.start(), e);
        }
        if (!slot.bars().isEmpty()) {
            reconcileAfter(slot.start());
        }
        checkpoint(slot.start());
    }

    /**
     * Once a bar is done, the state's log is copied into its database, on the bar thread: never
     * inside one of the bar's commits (SQLite's own checkpoint runs in whichever commit passes
     * 1,000 pages, about one bar in ten, the decision's or a fill's holding the state's lock), and
     * never beside the bar's fsync.
     */
    private void checkpoint(Instant bar) {
        try {
            long t0 = System.nanoTime();
            TraderState.LogCheckpoint done = state.checkpoint();
            LOG.debug("bar {}: state log checkpointed, {} of {} frames, in {} ms", bar, done.copied(), done.frames(),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("bar {}: state log checkpoint: {}", bar, e.getMessage());
        }
    }

    private void decideBar(BarIntake.Slot slot, long receivedAt) {
        Instant bar = slot.start();
        brokerNanos = 0;
        long[] marks = new long[LatencyLog.STAGES.size() + 1];
        marks[0] = receivedAt;
        marks[1] = System.nanoTime();
        ThreadTimes times0 = ThreadTimes.now();
        if (slot.bars().isEmpty()) {
            // No symbol traded (or none could be read): the bar store holds no such bar either.
            metrics.bars.labelValues("empty").inc();
            LOG.warn("bar {}: no data for any symbol; not decided", bar);
            return;
        }
        applyCorrections();
        if (scoring.resyncDue()) {
            scoring.resync(); // counted with the corrections that made it due, not with the bar's features
        }
        marks[2] = System.nanoTime();
        BarPredictions predictions;
        try {
            predictions = scoring.score(bar, slot.bars());
        } catch (IllegalStateException e) {
            metrics.bars.labelValues("no_model").inc();
            lastSkip = "bar " + bar + ": " + e.getMessage();
            LOG.warn("bar {}: {}; no decision", bar, e.getMessage());
            return;
        }
        marks[4] = System.nanoTime();
        marks[3] = marks[2] + scoring.lastFeatureNanos();
        book.mark(slot.bars());
        TraderBook.View view = settledBook(bar);
        List<Order> open = view.open();
        Set<String> busy = view.unsettled();
        int n = symbols.size();
        double[] close = new double[n];
        closes(slot.bars(), close);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            String s = symbols.get(i);
            scores[i] = predictions.score(s);
            if (busy.contains(s) || unconfirmed.contains(s)) {
                close[i] = Double.NaN; // not traded this bar: an order not settled, or a bar not yet confirmed
            }
        }
        double[] shares = new double[n];
        Map<String, Double> held = view.positions();
        held.forEach((symbol, quantity) -> {
            Integer i = index.get(symbol);
            if (i != null) {
                shares[i] = quantity;
            }
        });
        double[] pending = new double[n];
        for (Order o : open) {
            Integer i = index.get(o.symbol());
            if (i != null) {
                pending[i] += o.signedRemaining();
            }
        }
        marks[5] = System.nanoTime();
        observeSession(bar, view.equity());
        String version = predictions.version().toString();
        Decision d = path.decide(bar, close, new Scores(version, scores, Double.NaN),
                new Book(view.equity(), shares, pending));
        lastDecidedBar = bar;
        lastDecision = d;
        marks[6] = System.nanoTime();
        state.recordDecision(bar, version, decisionJson(d, predictions),
                config.dryRun() ? List.of() : d.intents().stream().map(OrderIntent::clientOrderId).toList(), held,
                d.riskEvents());
        long committed = System.nanoTime();
        if (decisionOnDisk == TraderConfig.DecisionOnDisk.BEFORE_ORDERS) {
            forceToDisk(bar, committed);
        } else {
            // Committed: the trader's own death loses nothing from here. The disk's flush (milliseconds,
            // at times hundreds on a shared disk) goes beside the sends instead of before them.
            stateSync.execute(() -> forceToDisk(bar, committed));
        }
        if (!version.equals(lastVersionServed)) {
            if (lastVersionServed != null) {
                state.recordModelVersion(Instant.now(), predictions.version().name(), predictions.version().version());
                LOG.info("bar {}: model {} decides from now on (was {})", bar, version, lastVersionServed);
            }
            lastVersionServed = version;
        }
        marks[7] = System.nanoTime();
        if (d.cancelOpenOrders()) {
            cancelAll("kill switch (" + d.killSwitch().reason() + ")");
        }
        List<Order> acked = new ArrayList<>();
        ThreadTimes times;
        long endedAt;
        try {
            submitAll(d, version, acked);
        } finally {
            marks[8] = System.nanoTime();
            endedAt = System.currentTimeMillis();
            times = ThreadTimes.now().since(times0);
            // One transaction (one fsync) for the bar's acknowledgements, once every order is out:
            // the intents were recorded before sending, and an acknowledgement lost to a crash is
            // recovered from the broker by its client order id.
            state.recordOrders(acked, version);
        }
        marks[9] = System.nanoTime();
        state.recordEquity(grid.end(grid.indexOf(bar)), view.equity(), view.cash());
        marks[10] = System.nanoTime();
        double seconds = (marks[8] - receivedAt) / 1e9;
        double compute = seconds - brokerNanos / 1e9;
        metrics.decisionLatency.observe(seconds);
        metrics.decisionCompute.observe(compute);
        double[] stages = new double[LatencyLog.STAGES.size()];
        for (int i = 0; i < stages.length; i++) {
            stages[i] = (marks[i + 1] - marks[i]) / 1e9;
        }
        latencies.add(endedAt, seconds, compute, times, stages);
        metrics.barLag.set(Duration.between(grid.end(grid.indexOf(bar)), wiring.venueClock().get()).toMillis() / 1e3);
        metrics.lastBar.set(bar.getEpochSecond());
        metrics.bars.labelValues(d.intents().isEmpty() ? "no_orders" : "orders").inc();
        exposure(view.equity(), shares, slot.bars());
        lastSkip = null;
        LOG.info("bar {}: model {}, {} scored, {} order(s){} in {} ms ({} ms less the broker: {} ms of CPU, {} ms waiting for "
                        + "a core; by stage: {})", bar, version, predictions.symbols().size(), d.intents().size(),
                config.dryRun() ? " (dry run, not sent)" : "", String.format(Locale.ROOT, "%.2f", seconds * 1e3),
                String.format(Locale.ROOT, "%.2f", compute * 1e3), String.format(Locale.ROOT, "%.2f", times.cpuNanos() / 1e6),
                times.waitingNanos() < 0 ? "?" : String.format(Locale.ROOT, "%.2f", times.waitingNanos() / 1e6),
                LatencyLog.describe(stages));
    }

    /**
     * Forces the state's commits so far, {@code bar}'s decision among them, onto the disk. A disk
     * that refuses halts trading: no order should go out whose record might not survive.
     */
    private void forceToDisk(Instant bar, long committedAt) {
        try {
            state.forceToDisk();
            double seconds = (System.nanoTime() - committedAt) / 1e9;
            metrics.decisionOnDisk.observe(seconds);
            latencies.addOnDisk(seconds);
        } catch (RuntimeException e) {
            LOG.error("bar {}: the decision's record could not be forced to disk: {}", bar, e.getMessage());
            if (killSwitch.engagement() == null) {
                try {
                    kill(KillSwitch.Mode.HALT, "guard", "the state could not be forced to disk at bar " + bar + " ("
                            + e.getMessage() + ")");
                } catch (RuntimeException recording) { // engaged all the same: only its record failed
                    LOG.error("bar {}: kill switch engaged, its record failed: {}", bar, recording.getMessage());
                }
            }
        }
    }

    /**
     * Every {@code reconcile_every_bars} bars, reconciles on its own thread, started once the bar's
     * orders are out: its REST calls and its wait for fills in flight would otherwise take the
     * cores and the broker's attention from the bar being decided.
     */
    private void reconcileAfter(Instant bar) {
        if (++barsSinceReconcile < config.guards().reconcileEveryBars()) {
            return;
        }
        barsSinceReconcile = 0;
        if (reconciling.compareAndSet(false, true)) {
            reconciler.execute(() -> {
                try {
                    reconcile("bar " + bar, Duration.ofSeconds(2));
                } catch (RuntimeException e) {
                    LOG.warn("reconciliation at bar {}: {}", bar, e.getMessage());
                } finally {
                    reconciling.set(false);
                }
            });
        }
    }

    /**
     * Sends the decision's orders, every symbol's at once (a flip's closing leg before its opening
     * one, on the same thread), and waits for every acknowledgement; {@code acked} gets those
     * accepted, in the decision's order of symbols.
     */
    private void submitAll(Decision d, String version, List<Order> acked) {
        if (config.dryRun()) {
            metrics.orders.labelValues("dry_run").inc(d.intents().size());
            return;
        }
        // Opening legs of an earlier bar still waiting: this decision planned without them.
        openingLegs.values().removeIf(leg -> {
            boolean stale = leg.bar().isBefore(d.barStart());
            if (stale) {
                unsent(leg.intent().clientOrderId(), "its closing leg had not filled by the next bar");
            }
            return stale;
        });
        Map<String, List<OrderIntent>> legs = new LinkedHashMap<>();
        for (OrderIntent intent : d.intents()) {
            versionByClientId.put(intent.clientOrderId(), version);
            legs.computeIfAbsent(intent.symbol(), k -> new ArrayList<>(2)).add(intent);
        }
        List<Future<List<Order>>> inFlight = new ArrayList<>(legs.size());
        for (List<OrderIntent> symbolLegs : legs.values()) {
            inFlight.add(brokerRequests.submit(() -> submitLegs(d.barStart(), symbolLegs, version)));
        }
        RuntimeException failed = null;
        for (Future<List<Order>> f : inFlight) {
            try {
                acked.addAll(net(() -> join(f)));
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * One symbol's orders, on a broker request thread: the order, or a reversal's closing leg with
     * its opening leg left to follow the closing leg's fill ({@link #openingLegs}); those accepted.
     */
    private List<Order> submitLegs(Instant bar, List<OrderIntent> legs, String version) {
        OrderIntent first = legs.get(0);
        if (legs.size() > 1) { // a reversal: OrderPlanner gives its closing leg, then its opening leg
            // Known before the closing leg goes: its fill may come back before the submission's answer.
            openingLegs.put(first.clientOrderId(), new OpeningLeg(legs.get(1), version, bar));
        }
        Optional<Order> sent = submitOne(first, false);
        if (sent.isEmpty()) {
            OpeningLeg dropped = openingLegs.remove(first.clientOrderId());
            if (dropped != null) {
                unsent(dropped.intent().clientOrderId(), "its closing leg " + first.clientOrderId() + " was not placed");
            }
        }
        return sent.map(List::of).orElse(List.of());
    }

    /**
     * Submits one order unless the kill switch stops it (HALT stops every order; FLATTEN lets the
     * decision path's orders towards zero go, but no reversal's opening leg); the order, or empty
     * if not sent or refused.
     */
    private Optional<Order> submitOne(OrderIntent intent, boolean openingLeg) {
        KillSwitch.Engagement kill = killSwitch.engagement();
        if (!mayStillSend(kill, openingLeg)) {
            unsent(intent.clientOrderId(), "the kill switch was engaged (" + kill.mode() + ")");
            return Optional.empty();
        }
        try {
            Order o = broker.submit(intent.toMarketOrder(), () -> mayStillSend(killSwitch.engagement(), openingLeg));
            book.order(o); // recorded in the state with the bar's other acknowledgements
            metrics.orders.labelValues("submitted").inc();
            ordersSent.incrementAndGet();
            consecutiveRejects.set(0);
            return Optional.of(o);
        } catch (io.foresail.livetrader.alpaca.OrderWithdrawnException e) {
            unsent(intent.clientOrderId(), "withdrawn before a resend: the kill switch was engaged");
            return Optional.empty(); // the kill switch came between its attempts: not a refusal
        } catch (BrokerException e) {
            if (e.retryable()) {
                // Not answered, and not found by its id in the attempts: the next bar (or a start)
                // looks it up once more, and does not trade the symbol until it knows.
                versionByClientId.remove(intent.clientOrderId());
                book.expect(intent.clientOrderId(), intent.symbol());
            } else {
                unsent(intent.clientOrderId(), "refused: " + e.getMessage());
            }
            metrics.rejects.inc();
            int inARow = consecutiveRejects.incrementAndGet();
            LOG.warn("order {} {} {}: refused: {}", intent.clientOrderId(), intent.side(), intent.symbol(), e.getMessage());
            // The thread that reaches the limit engages the switch once, and the count starts again.
            if (inARow >= config.guards().maxConsecutiveRejects() && consecutiveRejects.compareAndSet(inARow, 0)) {
                kill(KillSwitch.Mode.HALT, "guard", inARow + " orders refused in a row (last: " + e.getMessage() + ")");
            }
            return Optional.empty();
        }
    }

    /** A decided order that will not be placed: forgotten here, recorded and logged with why (the audit trail). */
    private void unsent(String clientOrderId, String why) {
        versionByClientId.remove(clientOrderId);
        state.recordUnsent(clientOrderId, Instant.now(), why);
        LOG.info("order {}: not sent, {}", clientOrderId, why);
    }

    /** Whether the kill switch lets an order go (asked before it is sent and again before any resend). */
    private static boolean mayStillSend(KillSwitch.Engagement kill, boolean openingLeg) {
        return kill == null || kill.mode() != KillSwitch.Mode.HALT && !openingLeg;
    }

    /** A reversal's opening leg, decided at {@code bar} by {@code version}, waiting for its closing leg. */
    private record OpeningLeg(OrderIntent intent, String version, Instant bar) {
    }

    /**
     * Its closing leg has ended: filled, the opening leg goes (unless a later bar has been decided
     * since, which planned from the position as it then stood, or the kill switch is engaged);
     * otherwise it is dropped. Runs on a broker request thread.
     */
    private void followClosingLeg(Order closing, OpeningLeg leg) {
        String id = leg.intent().clientOrderId();
        Instant decided = lastDecidedBar;
        if (closing.status() != OrderStatus.FILLED || decided != null && decided.isAfter(leg.bar())) {
            unsent(id, "its closing leg " + closing.clientOrderId() + " ended " + closing.status()
                    + (closing.status() == OrderStatus.FILLED ? " after the next bar was decided" : ""));
            return;
        }
        submitOne(leg.intent(), true).ifPresent(o -> {
            recordOrder(o, leg.version());
            LOG.info("order {} {}: sent after its closing leg {} filled", id, leg.intent().symbol(), closing.clientOrderId());
        });
    }

    /**
     * The book as a bar decides from it. Orders still open from earlier bars are cancelled first
     * (all at once), and every order is given a moment to settle: a fill that raced a cancel is in
     * the positions before the decision, or its symbol is not traded this bar. A bar whose earlier
     * orders all filled (the usual case) makes no broker request at all.
     */
    private TraderBook.View settledBook(Instant bar) {
        TraderBook.View view = book.view();
        if (!view.unanswered().isEmpty()) {
            List<Optional<Order>> lookups = atOnce(view.unanswered(), broker::orderByClientId);
            for (int i = 0; i < lookups.size(); i++) {
                String id = view.unanswered().get(i);
                Optional<Order> found = lookups.get(i);
                if (found.isPresent()) {
                    recordOrder(found.get());
                    LOG.info("order {}: its submission went unanswered; found at the broker, {}", id, found.get().status());
                } else {
                    book.forget(id);
                    LOG.info("order {}: its submission went unanswered and the broker does not have it: never placed", id);
                }
            }
            view = book.view();
        }
        for (Order after : atOnce(view.open(), o -> cancelStale(o, bar))) {
            if (after != null) {
                recordOrder(after);
            }
        }
        if (!view.unsettled().isEmpty()) {
            Set<String> left = net(() -> awaitSettled(SETTLE_PATIENCE));
            if (!left.isEmpty()) {
                // Fills reported but not received: the stream may have missed them.
                net(() -> {
                    broker.recoverFills();
                    return null;
                });
                left = net(() -> awaitSettled(SETTLE_PATIENCE));
                if (!left.isEmpty()) {
                    LOG.warn("bar {}: orders in {} not settled (still open after a cancel, or fills reported but not received); "
                            + "not traded this bar", bar, left);
                }
            }
        }
        view = book.view();
        if (!view.cashKnown()) {
            net(() -> { // at start, orders were open: the first quiet moment is now
                rebaseCash("bar " + bar);
                return null;
            });
            view = book.view();
        }
        if (!view.cashKnown()) {
            throw new IllegalStateException("the account's cash is not known yet (orders still unsettled: "
                    + view.unsettled() + ")");
        }
        if (Double.isNaN(view.equity())) {
            throw new IllegalStateException("no price yet for the positions in " + book.unpriced() + ": equity unknown");
        }
        return view;
    }

    /** One broker request per item, all in flight at once on the request pool; the answers in order (the wait is the bar's broker time). */
    private <T, R> List<R> atOnce(List<T> items, java.util.function.Function<T, R> request) {
        List<Future<R>> inFlight = new ArrayList<>(items.size());
        for (T item : items) {
            inFlight.add(brokerRequests.submit(() -> request.apply(item)));
        }
        List<R> answers = new ArrayList<>(items.size());
        for (Future<R> f : inFlight) {
            answers.add(net(() -> join(f)));
        }
        return answers;
    }

    private Set<String> awaitSettled(Duration patience) {
        try {
            return book.awaitSettled(patience);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while waiting for fills", 0, true);
        }
    }

    /**
     * Sets the book's cash to the broker's if no order is unsettled and nothing changes during the
     * read (else it is left for the next reconciliation). The fills carry no borrow fee, dividend or
     * interest: the difference found is logged.
     */
    private void rebaseCash(String when) {
        long before = book.reports();
        io.foresail.trading.broker.Account a = broker.account();
        java.util.OptionalDouble change = book.rebaseCash(a.cash(), before);
        if (change.isEmpty()) {
            LOG.debug("{}: the book's cash not re-based (orders unsettled, or reports during the read)", when);
        } else if (Double.isNaN(change.getAsDouble())) {
            LOG.info("{}: the book's cash set from the broker's account: {}", when, String.format(Locale.ROOT, "%.2f", a.cash()));
        } else if (Math.abs(change.getAsDouble()) >= 0.005) {
            LOG.info("{}: the book's cash re-based to the broker's {} ({} that no fill carried: fees, borrow, dividends)",
                    when, String.format(Locale.ROOT, "%.2f", a.cash()), String.format(Locale.ROOT, "%+.2f", change.getAsDouble()));
        }
        metrics.cashRebase.set(change.isPresent() && !Double.isNaN(change.getAsDouble()) ? change.getAsDouble() : 0);
    }

    /** Cancels one order left open by an earlier bar; its state after, or null if the cancel was refused. */
    private Order cancelStale(Order o, Instant bar) {
        try {
            Order after = broker.cancel(o.id());
            LOG.info("order {} {}: still open at bar {} ({} of {} filled); cancelled", o.clientOrderId(), o.symbol(), bar,
                    o.filledQuantity(), o.quantity());
            return after;
        } catch (BrokerException e) {
            LOG.warn("order {}: cancel refused: {}", o.clientOrderId(), e.getMessage());
            return null;
        }
    }

    /** A broker request's answer, waited for on the bar thread; its failure rethrown as it was. */
    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while waiting for the broker", 0, true);
        }
    }

    private void cancelAll(String why) {
        for (Order o : broker.openOrders()) {
            try {
                recordOrder(broker.cancel(o.id()));
                LOG.info("order {} {}: cancelled ({})", o.clientOrderId(), o.symbol(), why);
            } catch (BrokerException e) {
                LOG.warn("order {}: cancel refused: {}", o.clientOrderId(), e.getMessage());
            }
        }
    }

    /** Re-reads the bars reported wrong, corrects the kept history, and marks what cannot be confirmed yet. */
    private void applyCorrections() {
        if (corrections.isEmpty() && unconfirmed.isEmpty()) {
            return;
        }
        // One read of the bars API per bar, for every symbol reported at it.
        Map<Instant, Set<String>> wanted = new TreeMap<>();
        for (BarIntake.Late l : corrections) {
            wanted.computeIfAbsent(l.barStart(), k -> new java.util.TreeSet<>()).add(l.symbol());
        }
        corrections.clear();
        unconfirmed.clear();
        for (Map.Entry<Instant, Set<String>> e : wanted.entrySet()) {
            Instant at = e.getKey();
            try {
                Map<String, List<Bar>> read = data.fetchAll(List.copyOf(e.getValue()), grid.timeframe(), at, at,
                        config.alpaca().feed(), "raw");
                for (String symbol : e.getValue()) {
                    Bar truth = read.getOrDefault(symbol, List.of()).stream().filter(b -> b.start().equals(at))
                            .findFirst().orElse(null);
                    scoring.correct(symbol, at, truth);
                }
            } catch (RuntimeException ex) {
                for (String symbol : e.getValue()) {
                    unconfirmed.add(symbol);
                    corrections.add(new BarIntake.Late(symbol, at, null));
                }
                LOG.warn("bar {}: {} could not be re-read ({}); not traded until they are", at, e.getValue(),
                        ex.getMessage());
            }
        }
    }

    // ---- reconciliation ------------------------------------------------------------------------

    /**
     * Positions from the recorded fills against the broker's. A difference is first given time
     * (fills in flight) and a recovery from the account's activities; one that remains halts
     * trading.
     */
    private void reconcile(String when, Duration settle) {
        Map<String, String> diff = Map.of();
        for (int attempt = 0; attempt < 8; attempt++) {
            diff = positionDifferences();
            if (diff.isEmpty()) {
                break;
            }
            if (attempt == 2) {
                broker.recoverFills();
            } else if (attempt == 5) {
                broker.recoverFillsSince(null); // every fill of the account, before calling it a divergence
            }
            sleep(250);
        }
        if (diff.isEmpty()) {
            reconciled = true;
            metrics.reconciliations.labelValues("agreed").inc();
            if (awaitSettled(settle).isEmpty()) { // the book's cash, once its orders have settled
                rebaseCash("reconciliation at " + when);
            }
            return;
        }
        metrics.reconciliations.labelValues("diverged").inc();
        reconciled = false;
        String why = "reconciliation at " + when + ": positions from the recorded fills differ from the broker's " + diff
                + "; check the account, then './foresail trader resume --reason ...' (the difference is then adopted)";
        LOG.error(why);
        if (killSwitch.engagement() == null) {
            kill(KillSwitch.Mode.HALT, "guard", why);
        }
    }

    /** The recorded fills' positions (with any difference adopted) against the broker's; empty when they agree. */
    private Map<String, String> positionDifferences() {
        return positionDifferences(broker.positions()); // the reconciler's thread: not the bar's broker time
    }

    private Map<String, String> positionDifferences(List<Position> atBroker) {
        Map<String, Double> theirs = new TreeMap<>();
        for (Position p : atBroker) {
            theirs.put(p.symbol(), p.quantity());
        }
        return TraderBook.differences("fills", book.positions(), "broker", theirs);
    }

    // ---- kill switch ---------------------------------------------------------------------------

    /**
     * Engages the kill switch now (no order is sent from this moment), records who and why, and
     * cancels the open orders on the bar thread. FLATTEN closes positions at the next bar close.
     */
    public void kill(KillSwitch.Mode mode, String who, String why) {
        Instant at = Instant.now();
        killSwitch.engage(mode, why, who, at);
        state.recordKillSwitch(new TraderState.KillSwitchEvent(at, mode.name(), who, why));
        metrics.killEvents.labelValues(who).inc();
        updateKillGauge();
        LOG.warn("KILL SWITCH {} by {}: {}", mode, who, why);
        if (broker != null) {
            barThread.execute(() -> cancelAll("kill switch"));
        }
    }

    /** Releases the kill switch; a position difference standing now is adopted (recorded in the reason). */
    public void resume(String who, String why) {
        if (why == null || why.isBlank()) {
            throw new InvalidInputException("resuming needs a reason (it is recorded with who and when)");
        }
        try {
            barThread.submit(() -> release(who, why)).get(60, TimeUnit.SECONDS); // the decision path is the bar thread's
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the bar thread did not take the resume within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private void release(String who, String why) {
        List<Position> atBroker = broker.positions();
        Map<String, String> diff = positionDifferences(atBroker);
        String reason = why;
        if (!diff.isEmpty()) {
            // From now on the broker's positions are the book's: what the fills lack is adopted.
            Map<String, Double> adopted = new TreeMap<>();
            state.positionsFromFills().forEach((s, q) -> adopted.put(s, -q));
            for (Position p : atBroker) {
                adopted.merge(p.symbol(), p.quantity(), Double::sum);
            }
            book.adopt(adopted);
            markHeldWithoutBars(atBroker);
            reason = why + " (position differences adopted: " + diff + ")";
        }
        killSwitch.release();
        path.drawdownLadder().resume();
        reconciled = true;
        state.recordKillSwitch(new TraderState.KillSwitchEvent(Instant.now(), "OFF", who, reason));
        metrics.killEvents.labelValues("resume").inc();
        updateKillGauge();
        LOG.warn("kill switch released by {}: {}", who, reason);
    }

    private void updateKillGauge() {
        KillSwitch.Engagement e = killSwitch.engagement();
        for (KillSwitch.Mode m : KillSwitch.Mode.values()) {
            metrics.killSwitch.labelValues(m.name()).set(e != null && e.mode() == m ? 1 : 0);
        }
    }

    // ---- ticker: overdue bars, guards, the kill file ---------------------------------------------

    private void tick() {
        try {
            Instant now = wiring.venueClock().get();
            intake.closeDue(now.minus(config.bars().grace()));
            intake.reconnectIfSilent(now, Duration.ofMinutes(3), Duration.ofSeconds(10));
            Path flag = wiring.stateDir().resolve("KILL");
            if (Files.exists(flag) && killSwitch.engagement() == null) {
                String text = Files.readString(flag).trim();
                boolean flatten = text.toUpperCase(java.util.Locale.ROOT).startsWith("FLATTEN");
                kill(flatten ? KillSwitch.Mode.FLATTEN : KillSwitch.Mode.HALT, "kill-file",
                        text.isEmpty() ? "the file " + flag + " exists" : text);
            }
            staleDataGuard(now);
        } catch (IOException e) {
            LOG.warn("ticker: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("ticker: {}", e.getMessage(), e);
        }
    }

    private void staleDataGuard(Instant now) {
        if (killSwitch.engagement() != null || lastBarWithData == null) {
            return;
        }
        int behind = barsWithoutData(now);
        if (behind > config.guards().staleDataBars()) {
            kill(KillSwitch.Mode.HALT, "guard", "stale data: " + behind + " bars ended since the last bar with data ("
                    + lastBarWithData + ", venue time " + now + ")");
        }
    }

    /** Bars of the grid that ended (grace included) after the last bar that held data. */
    private int barsWithoutData(Instant now) {
        return lastEndedBar(now.minus(config.bars().grace())) - grid.indexOf(lastBarWithData);
    }

    // ---- what the HTTP endpoints read ----------------------------------------------------------

    /** Why the trader is not ready (empty: ready): model loaded, reconciled, data fresh, stream up. */
    public List<String> notReady() {
        List<String> why = new ArrayList<>();
        if (watcher == null || watcher.serving().isEmpty()) {
            why.add("no model loaded");
        }
        if (!reconciled) {
            why.add("not reconciled with the broker");
        }
        if (intake == null || !intake.subscribed()) {
            why.add("bar stream not subscribed");
        }
        if (broker == null || !broker.streaming()) {
            why.add("trade updates stream not listening");
        }
        if (lastBarWithData != null && grid != null && barsWithoutData(wiring.venueClock().get())
                > config.guards().staleDataBars()) {
            why.add("data stale: last bar with data " + lastBarWithData);
        }
        return why;
    }

    public boolean alive() {
        return !closing && !barThread.isShutdown();
    }

    /**
     * The last {@code n} bars' latencies, oldest first, each with the time it ended: for lining bars
     * up with what else happened on the host (the benchmark compares them with the hypervisor's
     * steal time).
     */
    List<LatencyLog.Bar> recentBars(int n) {
        if (n < 1 || n > latencies.capacity()) {
            throw new InvalidInputException("last must be 1 to " + latencies.capacity() + ", got " + n);
        }
        return latencies.recent(n);
    }

    /** The trader's state for {@code /status}: plain values, no secret. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("mode", config.venue().name().toLowerCase(java.util.Locale.ROOT));
        s.put("dry_run", config.dryRun());
        s.put("decision_on_disk", config.decisionOnDisk());
        s.put("bar_threads_priority", priority.map(BarThreadsPriority::toString).orElse(null));
        List<String> notReady = notReady();
        s.put("ready", notReady.isEmpty());
        s.put("not_ready", notReady);
        s.put("model", watcher == null ? null : watcher.serving().map(v -> Map.of("name", v.name(), "version", v.version(),
                "run_id", v.runId() == null ? "" : v.runId())).orElse(null));
        KillSwitch.Engagement k = killSwitch.engagement();
        s.put("kill_switch", k == null ? Map.of("engaged", false) : Map.of("engaged", true, "mode", k.mode().name(),
                "reason", k.reason(), "by", String.valueOf(k.by()), "at", String.valueOf(k.at())));
        s.put("last_bar", lastDecidedBar == null ? null : lastDecidedBar.toString());
        s.put("last_bar_received", lastBarHandedOver == null ? null : lastBarHandedOver.toString());
        s.put("last_skip", lastSkip);
        s.put("orders_sent", ordersSent.get());
        s.put("decision_latency_ms", latencies.summary(26));
        if (broker != null) {
            try {
                io.foresail.trading.broker.Account a = broker.account();
                s.put("equity", a.equity());
                s.put("cash", a.cash());
                s.put("session_pnl", Double.isNaN(sessionStartEquity) ? null : a.equity() - sessionStartEquity);
                Map<String, Double> positions = new TreeMap<>();
                for (Position p : broker.positions()) {
                    positions.put(p.symbol(), p.quantity());
                }
                s.put("positions", positions);
            } catch (RuntimeException e) {
                s.put("broker_error", e.getMessage());
            }
        }
        if (book != null) {
            // What the bars decide from: the trader's own book (the broker's figures above check it).
            TraderBook.View v = book.view();
            Map<String, Object> own = new LinkedHashMap<>();
            own.put("cash", v.cashKnown() ? v.cash() : null);
            own.put("equity", Double.isNaN(v.equity()) ? null : v.equity());
            own.put("positions", v.positions());
            own.put("unsettled", v.unsettled());
            s.put("book", own);
        }
        if (path != null) {
            Map<String, Object> risk = new LinkedHashMap<>();
            risk.put("drawdown", path.riskState().drawdown());
            risk.put("session_loss", path.riskState().sessionLoss());
            risk.put("peak_equity", path.riskState().peakEquity());
            s.put("risk", risk);
        }
        if (intake != null) {
            s.put("bars", intake.counters());
        }
        if (broker != null) {
            s.put("broker", broker.counters());
        }
        if (scoring != null) {
            s.put("features", Map.of("kept_bars", scoring.kept(), "corrections", scoring.corrections(),
                    "resyncs", scoring.resyncs()));
        }
        return s;
    }

    public TraderMetrics metrics() {
        return metrics;
    }

    /** Checks the alias now (what {@code POST /reload} does). */
    public ChampionWatcher.Check reload() {
        return watcher.reload();
    }

    public KillSwitch killSwitch() {
        return killSwitch;
    }

    public TraderState state() {
        return state;
    }

    public java.net.URI httpUri() {
        return http.uri();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void recordOrder(Order o) {
        recordOrder(o, versionByClientId.get(o.clientOrderId()));
    }

    /** Records what the broker says of an order; an order that ended is forgotten here (the intents table still names its version). */
    private void recordOrder(Order o, String version) {
        state.recordOrder(o, version);
        book.order(o);
        if (!o.status().isOpen()) {
            versionByClientId.remove(o.clientOrderId());
        }
    }

    private void onOrderUpdate(OrderUpdate u) {
        String version = versionByClientId.get(u.order().clientOrderId());
        if (u.fill() != null && book.recordFill(u.fill())) {
            metrics.fills.inc();
        }
        recordOrder(u.order(), version);
        metrics.orders.labelValues(u.order().status().name().toLowerCase(java.util.Locale.ROOT)).inc();
        if (!u.order().status().isOpen()) {
            OpeningLeg next = openingLegs.remove(u.order().clientOrderId());
            if (next != null) {
                try {
                    brokerRequests.execute(() -> followClosingLeg(u.order(), next));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.info("order {}: not sent, the trader is shutting down", next.intent().clientOrderId());
                }
            }
        }
        if (u.kind() == OrderUpdate.Kind.REJECTED) {
            metrics.rejects.inc();
        }
    }

    private void registerMetrics() {
        metrics.gauge("foresail_trader_ready", "1 when the trader is ready (model, reconciliation, data)",
                () -> notReady().isEmpty() ? 1 : 0);
        metrics.counter("foresail_trader_model_swaps_total", "Champion versions swapped in",
                () -> inferenceMetrics.snapshot().swaps());
        metrics.counter("foresail_trader_model_refusals_total", "Champion versions refused",
                () -> inferenceMetrics.snapshot().refusals());
        metrics.counters("foresail_trader_bar_intake_events_total", "The bar intake's counters (reconnects, late and "
                + "duplicate minutes, read-backs, gaps)", "event", () -> intake == null ? Map.of() : intake.counters());
        metrics.counters("foresail_trader_broker_events_total", "The broker adapter's counters (stream reconnects, "
                + "duplicate fills dropped, fills recovered)", "event", () -> broker == null ? Map.of() : broker.counters());
        metrics.gauge("foresail_trader_feature_resyncs", "Feature re-synchronisations after a corrected bar",
                () -> scoring == null ? 0 : scoring.resyncs());
    }

    private void observeSession(Instant bar, double equity) {
        LocalDate day = bar.atZone(calendar.zone()).toLocalDate();
        if (!day.equals(session)) {
            session = day;
            sessionStartEquity = equity;
        }
        metrics.equity.set(equity);
        metrics.pnl.set(equity - sessionStartEquity);
    }

    private void exposure(double equity, double[] shares, Map<String, Bar> bars) {
        double gross = 0;
        double net = 0;
        for (int i = 0; i < shares.length; i++) {
            Bar b = bars.get(symbols.get(i));
            double price = b == null ? Double.NaN : b.close();
            if (shares[i] != 0 && price > 0) {
                gross += Math.abs(shares[i] * price);
                net += shares[i] * price;
            }
        }
        metrics.grossExposure.set(equity > 0 ? gross / equity : 0);
        metrics.netExposure.set(equity > 0 ? net / equity : 0);
        metrics.drawdown.set(path.riskState().drawdown());
    }

    private void closes(Map<String, Bar> bars, double[] out) {
        for (int i = 0; i < symbols.size(); i++) {
            Bar b = bars.get(symbols.get(i));
            out[i] = b == null ? Double.NaN : b.close();
        }
    }

    /** The last bar of the grid that ended at or before {@code t}, or -1. */
    private int lastEndedBar(Instant t) {
        int i = grid.ceilingIndex(t.getEpochSecond());
        for (int k = Math.min(i, grid.size() - 1); k >= 0; k--) {
            if (!grid.end(k).isAfter(t)) {
                return k;
            }
        }
        return -1;
    }

    private String decisionJson(Decision d, BarPredictions p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bar", d.barStart().toString());
        out.put("model", Map.of("name", p.version().name(), "version", p.version().version(),
                "run_id", p.version().runId() == null ? "" : p.version().runId()));
        out.put("rebalance", d.rebalance());
        out.put("symbols", symbols);
        out.put("scores", d.scores());
        out.put("target_weights", d.targetWeights());
        out.put("target_shares", d.targetShares());
        out.put("warming_up", p.warmingUp());
        out.put("missing", p.missing());
        out.put("risk_events", d.riskEvents());
        out.put("intents", d.intents());
        out.put("kill_switch", d.killSwitch());
        out.put("dry_run", config.dryRun());
        try {
            return Json.MAPPER.writeValueAsString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeProcessFile() {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("pid", ProcessHandle.current().pid());
        me.put("http", http.uri().toString());
        me.put("mode", config.venue().name().toLowerCase(java.util.Locale.ROOT));
        me.put("started_at", Instant.now().toString());
        try {
            Path tmp = Files.createTempFile(wiring.stateDir(), "trader", ".json.tmp");
            Json.PRETTY.writeValue(tmp.toFile(), me);
            Files.move(tmp, wiring.stateDir().resolve("trader.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls the broker, counting the wait as the bar's network time. */
    private <T> T net(Supplier<T> call) {
        long t0 = System.nanoTime();
        try {
            return call.get();
        } finally {
            brokerNanos += System.nanoTime() - t0;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking bars, finishes the bar in progress, then closes the streams, the model and the state. */
    @Override
    public void close() {
        closing = true;
        ticker.shutdownNow();
        reconciler.shutdownNow();
        if (intake != null) {
            intake.close();
        }
        barThread.shutdown();
        try {
            if (!barThread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("the bar in progress did not finish within 30 s; closing anyway (the next start reconciles)");
            }
            brokerRequests.shutdown(); // after the bar in progress, whose requests it carried
            stateSync.shutdown(); // its last flush finishes before the state closes
            if (!stateSync.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the state's last flush to disk did not finish within 10 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (http != null) {
            http.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (lanes != null) {
            lanes.close(); // the bar thread, their only user, has stopped
        }
        if (watcher != null) {
            watcher.close();
        }
        if (state != null) {
            state.close();
        }
        try {
            Files.deleteIfExists(wiring.stateDir().resolve("trader.json"));
        } catch (IOException e) {
            LOG.debug("trader.json: {}", e.getMessage());
        }
        LOG.info("trader stopped");
    }
}
