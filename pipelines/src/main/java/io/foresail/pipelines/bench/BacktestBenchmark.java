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

    public BacktestBenchmark(int runs, Path bars, Path oracle) {
        this.runs = runs;
        this.bars = bars;
        this.oracle = oracle;
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
