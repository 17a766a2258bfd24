package io.foresail.pipelines.bench;

import io.foresail.backtest.replay.BacktestConfig;
import io.foresail.backtest.replay.BacktestResult;
import io.foresail.backtest.tape.BarTape;
import io.foresail.backtest.replay.Replay;
import io.foresail.backtest.tape.ScoreTape;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.progress.Progress;
import io.foresail.core.universe.Universe;
import io.foresail.data.store.BarStore;
import io.foresail.pipelines.backtest.ReplayInputs;
import io.foresail.trading.decision.Book;
import io.foresail.trading.decision.DecisionPath;
import io.foresail.trading.decision.Scores;
import io.foresail.trading.decision.StrategyConfig;
import io.foresail.trading.risk.KillSwitch;

import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code foresail bench backtest}: the full replay (decision path with every risk rule, order
 * planning, the simulated venue) over a bar store with the oracle's scores, rebalancing every bar
 * and once a session; symbol-bar events per second, allocation per event and GC time; and one
 * decision's latency (construction, all rules, planning; 50 symbols, scores given) as p50/p99.
 */
public final class BacktestBenchmark {
    private final int runs;
    private final Path bars;
    private final Path oracle;
    private final Path peersWork;

    /** @param peersWork where to run backtrader and vectorbt on the same work (their venv, the CSVs); null: skip */
    public BacktestBenchmark(int runs, Path bars, Path oracle, Path peersWork) {
        this.runs = runs;
        this.bars = bars;
        this.oracle = oracle;
        this.peersWork = peersWork;
    }

    public void run(PrintWriter out) {
        BarStore store = BarStore.open(bars);
        TradingCalendar calendar = TradingCalendar.nyse();
        BarGrid grid = calendar.grid(store.timeframe());
        Universe universe = Universe.defaultUniverse();
        BarTape tape = ReplayInputs.tape(store, universe, calendar, null, null);
        ScoreTape scores = ReplayInputs.oracle(oracle, tape);
        List<String> sectors = ReplayInputs.sectors(tape, universe);
        long events = (long) tape.bars() * tape.symbols().size();
        out.printf(Locale.ROOT, "tape: %,d bars x %d symbols = %,d symbol-bars; %d cores%n", tape.bars(), tape.symbols().size(),
                events, Runtime.getRuntime().availableProcessors());
        BacktestConfig defaults = BacktestConfig.loadOrDefault(null);
        for (int every : new int[] {1, 26}) {
            StrategyConfig s = new StrategyConfig(defaults.strategy().name(), defaults.strategy().portfolio(),
                    new StrategyConfig.Rebalance(every, null), defaults.strategy().noTradeBand(), defaults.strategy().risk(),
                    defaults.strategy().orders());
            Replay.Settings settings = new Replay.Settings(s, defaults.execution(), false, "");
            for (int warm = 0; warm < 3; warm++) {
                Replay.run(tape, scores, sectors, calendar, grid, settings, Progress.NONE); // compile the hot paths
            }
            double[] seconds = new double[runs];
            double[] bytes = new double[runs];
            double[] gc = new double[runs];
            BacktestResult last = null;
            for (int r = 0; r < runs; r++) {
                long a0 = allocated();
                long g0 = gcMillis();
                long t0 = System.nanoTime();
                last = Replay.run(tape, scores, sectors, calendar, grid, settings, Progress.NONE);
                seconds[r] = (System.nanoTime() - t0) / 1e9;
                bytes[r] = allocated() - a0;
                gc[r] = gcMillis() - g0;
            }
            double sec = median(seconds);
            out.printf(Locale.ROOT, "replay_rebalance_every_%d_bars_seconds: %.3f%n", every, sec);
            out.printf(Locale.ROOT, "replay_rebalance_every_%d_bars_symbol_bars_per_second: %.0f%n", every, events / sec);
            out.printf(Locale.ROOT, "replay_rebalance_every_%d_bars_bytes_per_symbol_bar: %.0f%n", every, median(bytes) / events);
            out.printf(Locale.ROOT, "replay_rebalance_every_%d_bars_gc_ms: %.0f%n", every, median(gc));
            out.printf(Locale.ROOT, "replay_rebalance_every_%d_bars_orders: %d%n", every, last.orders());
        }
        decisionLatency(out, tape, scores, sectors, calendar, grid, defaults.strategy());
        if (peersWork != null) {
            peers(out, tape, scores, sectors, calendar, grid);
        }
    }

    /**
     * The peers' simple strategy (PeersSideBySideTest, which also checks the commission): long the
     * top 3 at equal weight, every bar, fractional shares, next-open fills; Foresail timed on it,
     * then backtrader and vectorbt on the same bars and scores, and the largest relative equity
     * difference. Over five years of every-bar trading a real edge compounds equity past what the
     * bars' volume can fill, and any commission wears it down to a millionth of a dollar; either
     * way relative differences stop meaning anything. So the scores here are seeded noise and
     * there is no commission: the same orders and fills, the equity near its start.
     */
    private void peers(PrintWriter out, BarTape tape, ScoreTape scores, List<String> sectors, TradingCalendar calendar,
                       BarGrid grid) {
        StrategyConfig simple = new StrategyConfig("peers", new StrategyConfig.Portfolio("long_only_top_k", 3),
                new StrategyConfig.Rebalance(1, null), 0.0,
                new StrategyConfig.Risk(0.0, null, null, null, 1.0, 1.0, 0.95, 0.95, List.of(), 0.99),
                new StrategyConfig.Orders(true, 0.0));
        io.foresail.backtest.venue.ExecutionConfig execution = new io.foresail.backtest.venue.ExecutionConfig("next_open",
                100_000.0, new io.foresail.backtest.venue.ExecutionConfig.Commission(0.0, 0.0, 0.0), 0.0, 0.0, 0.0, 1.0,
                "carry", new io.foresail.backtest.venue.ExecutionConfig.Shorting(false, 0.0), null);
        Replay.Settings settings = new Replay.Settings(simple, execution, false, "");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(15);
        double[][] noise = new double[tape.bars()][tape.symbols().size()];
        for (double[] row : noise) {
            for (int i = 0; i < row.length; i++) {
                row[i] = rnd.nextDouble() - 0.5;
            }
        }
        scores = new ScoreTape("noise", noise, Double.NaN);
        for (int warm = 0; warm < 3; warm++) {
            Replay.run(tape, scores, sectors, calendar, grid, settings, Progress.NONE);
        }
        double[] seconds = new double[runs];
        BacktestResult ours = null;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            ours = Replay.run(tape, scores, sectors, calendar, grid, settings, Progress.NONE);
            seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
        double mine = median(seconds);
        try {
            java.nio.file.Files.createDirectories(peersWork);
            Path barsCsv = peersWork.resolve("bars.csv");
            Path scoresCsv = peersWork.resolve("scores.csv");
            try (var b = java.nio.file.Files.newBufferedWriter(barsCsv); var sc = java.nio.file.Files.newBufferedWriter(scoresCsv)) {
                b.write("ts,symbol,open,high,low,close,volume\n");
                sc.write("ts,symbol,score\n");
                for (int t = 0; t < tape.bars(); t++) {
                    String ts = tape.start(t).toString();
                    for (int i = 0; i < tape.symbols().size(); i++) {
                        String sym = tape.symbols().get(i);
                        b.write(String.format(Locale.ROOT, "%s,%s,%.17g,%.17g,%.17g,%.17g,%.17g%n", ts, sym, tape.open()[i][t],
                                tape.high()[i][t], tape.low()[i][t], tape.close()[i][t], tape.volume()[i][t]));
                        double v = scores.values()[t][i];
                        if (!Double.isNaN(v)) {
                            sc.write(String.format(Locale.ROOT, "%s,%s,%.17g%n", ts, sym, v));
                        }
                    }
                }
            }
            io.foresail.registry.python.PythonEnv env = io.foresail.registry.python.PythonEnv.ensure(
                    peersWork.resolve("venv-peers"), "foresail/python/peers-requirements.txt");
            Path script = io.foresail.registry.python.PythonEnv.script("foresail/python/peers_backtest.py",
                    peersWork.resolve("peers_backtest.py"));
            String[] lines = io.foresail.registry.python.PythonEnv.exec(List.of(env.python().toString(), script.toString(),
                    barsCsv.toString(), scoresCsv.toString(), "3", "0.95", "0", "100000"), peersWork, 7200)
                    .strip().split("\n");
            com.fasterxml.jackson.databind.JsonNode peers = io.foresail.core.io.Json.MAPPER.readTree(lines[lines.length - 1]);
            out.printf(Locale.ROOT, "peers_strategy_foresail_seconds: %.3f%n", mine);
            for (String peer : List.of("backtrader", "vectorbt")) {
                double theirs = peers.get(peer).get("seconds").asDouble();
                double worst = 0;
                var equity = peers.get(peer).get("equity");
                for (int t = 0; t < tape.bars(); t++) {
                    worst = Math.max(worst, Math.abs(equity.get(t).asDouble() - ours.equity()[t]) / ours.equity()[t]);
                }
                out.printf(Locale.ROOT, "peers_strategy_%s_seconds: %.3f%n", peer, theirs);
                out.printf(Locale.ROOT, "peers_strategy_%s_over_foresail: %.1f%n", peer, theirs / mine);
                out.printf(Locale.ROOT, "peers_strategy_%s_worst_relative_equity_difference: %.2e%n", peer, worst);
            }
        } catch (java.io.IOException e) {
            throw new io.foresail.core.error.ForesailException("peers benchmark: " + e.getMessage(), e);
        }
    }

    /** One decision (construction, every risk rule, planning), timed alone over the tape's bars. */
    private static void decisionLatency(PrintWriter out, BarTape tape, ScoreTape scores, List<String> sectors,
                                        TradingCalendar calendar, BarGrid grid, StrategyConfig base) {
        StrategyConfig every = new StrategyConfig(base.name(), base.portfolio(), new StrategyConfig.Rebalance(1, null),
                base.noTradeBand(), base.risk(), base.orders());
        int n = tape.symbols().size();
        double[] shares = new double[n];
        double[] pending = new double[n];
        double[] close = new double[n];
        long[] nanos = new long[tape.bars()];
        for (int pass = 0; pass < 2; pass++) {
            DecisionPath path = new DecisionPath(every, tape.symbols(), sectors, calendar, grid, new KillSwitch());
            for (int t = 0; t < tape.bars(); t++) {
                tape.closes(t, close);
                Scores s = new Scores("oracle", scores.values()[t], Double.NaN);
                Book book = new Book(100_000, shares, pending);
                long t0 = System.nanoTime();
                path.decide(tape.start(t), close, s, book);
                nanos[t] = System.nanoTime() - t0;
            }
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        out.printf(Locale.ROOT, "decision_p50_us: %.1f%n", sorted[sorted.length / 2] / 1e3);
        out.printf(Locale.ROOT, "decision_p99_us: %.1f%n", sorted[(int) (sorted.length * 0.99)] / 1e3);
        out.printf(Locale.ROOT, "decision_max_us: %.1f%n", sorted[sorted.length - 1] / 1e3);
    }

    private static long allocated() {
        java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
        return b instanceof com.sun.management.ThreadMXBean t ? t.getCurrentThreadAllocatedBytes() : 0;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, b.getCollectionTime());
        }
        return total;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
