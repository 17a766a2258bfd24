package io.foresail.features.engine;

import io.foresail.features.kernel.BarInput;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.universe.Universe;
import io.foresail.features.context.SectorIndex;
import io.foresail.features.context.CrossSection;
import io.foresail.features.spec.FeaturePlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Computes a feature plan live, one timestamp at a time, from the bars of the universe at that
 * timestamp. It runs the same kernels, context and cross-sectional code as the batch job in the
 * same symbol order, so fed the same bars from the same start it produces the same bits (tested
 * against the Spark job). Feed history first to warm it up: values are NaN until each feature's
 * warm-up has passed for the symbol.
 *
 * <p>Not thread-safe: one engine per bar stream. Bars of a timestamp come in one call. Within a
 * call, symbols are updated on up to {@link Builder#parallelism} cores.
 */
public final class OnlineFeatureEngine {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineFeatureEngine.class);

    private final FeaturePlan plan;
    private final BarGrid grid;
    private final String benchmark;
    /** The universe's equities in the engine's (and the batch job's) order: ascending symbol. */
    private final String[] universeSymbols;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final int[] sectorOfIndex;
    private final int sectors;
    private final SymbolFeatures[] states;
    private final List<String> names;
    private final int parallelism;
    private double benchmarkClose = Double.NaN;
    private long lastStart = Long.MIN_VALUE;

    private OnlineFeatureEngine(Builder b) {
        this.plan = b.plan;
        this.grid = b.calendar.grid(b.timeframe);
        this.benchmark = b.universe.benchmark().symbol();
        Map<String, Integer> sectorOf = new TreeMap<>(SectorIndex.of(b.universe).bySymbol());
        this.universeSymbols = sectorOf.keySet().toArray(String[]::new);
        this.sectorOfIndex = new int[universeSymbols.length];
        for (int i = 0; i < universeSymbols.length; i++) {
            indexOf.put(universeSymbols[i], i);
            sectorOfIndex[i] = sectorOf.get(universeSymbols[i]);
        }
        this.sectors = SectorIndex.of(b.universe).count();
        this.states = new SymbolFeatures[universeSymbols.length];
        this.names = plan.featureNames();
        this.parallelism = b.parallelism;
    }

    public static Builder builder(FeaturePlan plan) {
        return new Builder(plan);
    }

    public FeaturePlan plan() {
        return plan;
    }

    public List<String> names() {
        return names;
    }

    /**
     * Consumes the bars starting at {@code start} (equities of the universe and, optionally, the
     * benchmark) and returns the features of each equity present.
     *
     * @throws InvalidInputException for a time off the grid or not after the previous one, a bar
     *                               of another time, an unknown or repeated symbol
     */
    public FeatureFrame onBars(Instant start, Collection<Bar> bars) {
        int g = grid.indexOf(start);
        if (g < 0) {
            throw new InvalidInputException(start + " is not a " + grid.timeframe() + " bar start of the calendar");
        }
        long startMicros = start.getEpochSecond() * 1_000_000L;
        if (startMicros <= lastStart) {
            throw new InvalidInputException("bars at " + start + " arrive after bars at "
                    + Instant.EPOCH.plusNanos(lastStart * 1000) + "; feed timestamps in ascending order");
        }
        Bar[] byIndex = new Bar[universeSymbols.length];
        Bar bench = null;
        int count = 0;
        for (Bar bar : bars) {
            if (!bar.start().equals(start)) {
                throw new InvalidInputException(bar.symbol() + ": bar at " + bar.start() + " passed with bars at " + start);
            }
            if (bar.symbol().equals(benchmark)) {
                bench = bar;
                continue;
            }
            Integer at = indexOf.get(bar.symbol());
            if (at == null) {
                throw new InvalidInputException(bar.symbol() + " at " + start + " is not in the universe");
            }
            if (byIndex[at] != null) {
                throw new InvalidInputException(bar.symbol() + " has two bars at " + start);
            }
            byIndex[at] = bar;
            count++;
        }
        lastStart = startMicros;
        int n = count;

        double benchmarkReturn = Double.NaN;
        if (bench != null) {
            benchmarkReturn = BarInput.simpleReturn(benchmarkClose, bench.close());
            benchmarkClose = bench.close();
        }
        // The equities present, in ascending symbol order: the order the batch job uses.
        Bar[] present = new Bar[n];
        SymbolFeatures[] state = new SymbolFeatures[n];
        List<String> symbols = new ArrayList<>(n);
        int[] sector = new int[n];
        double[] returns = new double[n];
        for (int u = 0, i = 0; u < byIndex.length; u++) {
            if (byIndex[u] == null) {
                continue;
            }
            if (states[u] == null) {
                states[u] = new SymbolFeatures(plan.features());
            }
            present[i] = byIndex[u];
            state[i] = states[u];
            symbols.add(universeSymbols[u]);
            sector[i] = sectorOfIndex[u];
            returns[i] = state[i].returnTo(present[i].close());
            i++;
        }
        double[] sectorReturns = new double[n];
        if (plan.needsSector()) {
            CrossSection.sectorReturnsExcludingSelf(sector, returns, n, sectors, sectorReturns);
        } else {
            Arrays.fill(sectorReturns, Double.NaN);
        }

        double[][] values = new double[n][plan.width()];
        int slot = grid.slotInSession(g);
        int barsInSession = grid.barsInSessionOf(g);
        int session = grid.sessionIndexOf(g);
        double benchReturn = benchmarkReturn;
        // Symbols are independent until the cross-sections, so they update in parallel chunks;
        // each writes only its own rows, and the result does not depend on the split.
        int chunks = parallelism > 0
                ? Math.max(1, Math.min(parallelism, n))
                : Math.min(Runtime.getRuntime().availableProcessors(), Math.max(1, n / MIN_SYMBOLS_PER_CHUNK));
        IntConsumer chunk = c -> {
            MutableBarInput input = new MutableBarInput();
            for (int i = c * n / chunks, end = (c + 1) * n / chunks; i < end; i++) {
                Bar b = present[i];
                input.bar(startMicros, b.open(), b.high(), b.low(), b.close(), b.volume(), b.vwap())
                        .session(slot, barsInSession, session)
                        .context(benchReturn, sectorReturns[i]);
                state[i].update(input, values[i], 0);
            }
        };
        if (chunks == 1) {
            chunk.accept(0);
        } else {
            IntStream.range(0, chunks).parallel().forEach(chunk);
        }

        int kernels = plan.features().size();
        double[] column = new double[n];
        double[] out = new double[n];
        List<FeaturePlan.CrossSectional> xs = plan.crossSectional();
        for (int k = 0; k < xs.size(); k++) {
            int src = xs.get(k).sourceIndex();
            for (int i = 0; i < n; i++) {
                column[i] = values[i][src];
            }
            CrossSection.transform(xs.get(k).op(), column, n, out);
            for (int i = 0; i < n; i++) {
                values[i][kernels + k] = out[i];
            }
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("features at {}: {} symbols, benchmark return {}", start, n, benchmarkReturn);
        }
        return new FeatureFrame(start, names, symbols, values);
    }

    /** Below this many symbols per chunk, handing work to another core costs more than it saves. */
    private static final int MIN_SYMBOLS_PER_CHUNK = 8;

    /** Settings of an engine. */
    public static final class Builder {
        private final FeaturePlan plan;
        private Universe universe = Universe.defaultUniverse();
        private TradingCalendar calendar = TradingCalendar.nyse();
        private Timeframe timeframe = Timeframe.DEFAULT;
        /** 0: automatic (all cores, at least {@link #MIN_SYMBOLS_PER_CHUNK} symbols each). */
        private int parallelism;

        private Builder(FeaturePlan plan) {
            this.plan = Objects.requireNonNull(plan, "plan");
        }

        public Builder universe(Universe universe) {
            this.universe = Objects.requireNonNull(universe);
            return this;
        }

        public Builder calendar(TradingCalendar calendar) {
            this.calendar = Objects.requireNonNull(calendar);
            return this;
        }

        public Builder timeframe(Timeframe timeframe) {
            this.timeframe = Objects.requireNonNull(timeframe);
            return this;
        }

        /**
         * Chunks of symbols to update in parallel, through the common fork-join pool; 1 updates them
         * on the calling thread. Default: one chunk per core, each of at least 8 symbols. The values
         * do not depend on it.
         */
        public Builder parallelism(int parallelism) {
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
            }
            this.parallelism = parallelism;
            return this;
        }

        public OnlineFeatureEngine build() {
            return new OnlineFeatureEngine(this);
        }
    }
}
