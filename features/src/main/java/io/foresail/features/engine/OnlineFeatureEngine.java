package io.foresail.features.engine;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.universe.Universe;
import io.foresail.features.batch.FeatureBatch;
import io.foresail.features.context.CrossSection;
import io.foresail.features.spec.FeaturePlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Computes a feature plan live, one timestamp at a time, from the bars of the universe at that
 * timestamp. It runs the same kernels, context and cross-sectional code as the batch job in the
 * same symbol order, so fed the same bars from the same start it produces the same bits (tested
 * against the Spark job). Feed history first to warm it up: values are NaN until each feature's
 * warm-up has passed for the symbol.
 *
 * <p>Not thread-safe: one engine per bar stream. Bars of a timestamp come in one call.
 */
public final class OnlineFeatureEngine {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineFeatureEngine.class);

    private final FeaturePlan plan;
    private final BarGrid grid;
    private final String benchmark;
    private final Map<String, Integer> sectorOf = new TreeMap<>();
    private final int sectors;
    private final Map<String, SymbolFeatures> states = new TreeMap<>();
    private final MutableBarInput input = new MutableBarInput();
    private final List<String> names;
    private double benchmarkClose = Double.NaN;
    private long lastStart = Long.MIN_VALUE;

    private OnlineFeatureEngine(Builder b) {
        this.plan = b.plan;
        this.grid = b.calendar.grid(b.timeframe);
        this.benchmark = b.universe.benchmark().symbol();
        sectorOf.putAll(FeatureBatch.sectorIndex(b.universe));
        this.sectors = FeatureBatch.sectorCount(b.universe);
        this.names = plan.featureNames();
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
        TreeMap<String, Bar> equities = new TreeMap<>();
        Bar bench = null;
        for (Bar bar : bars) {
            if (!bar.start().equals(start)) {
                throw new InvalidInputException(bar.symbol() + ": bar at " + bar.start() + " passed with bars at " + start);
            }
            if (bar.symbol().equals(benchmark)) {
                bench = bar;
            } else if (!sectorOf.containsKey(bar.symbol())) {
                throw new InvalidInputException(bar.symbol() + " at " + start + " is not in the universe");
            } else if (equities.put(bar.symbol(), bar) != null) {
                throw new InvalidInputException(bar.symbol() + " has two bars at " + start);
            }
        }
        lastStart = startMicros;

        double benchmarkReturn = Double.NaN;
        if (bench != null) {
            benchmarkReturn = SymbolFeatures.simpleReturn(benchmarkClose, bench.close());
            benchmarkClose = bench.close();
        }
        int n = equities.size();
        List<String> symbols = new ArrayList<>(equities.keySet());
        SymbolFeatures[] state = new SymbolFeatures[n];
        int[] sector = new int[n];
        double[] returns = new double[n];
        double[] sectorReturns = new double[n];
        for (int i = 0; i < n; i++) {
            String s = symbols.get(i);
            state[i] = states.computeIfAbsent(s, k -> new SymbolFeatures(plan.features()));
            sector[i] = sectorOf.get(s);
            returns[i] = state[i].returnTo(equities.get(s).close());
        }
        if (plan.needsSector()) {
            CrossSection.sectorReturnsExcludingSelf(sector, returns, n, sectors, sectorReturns);
        } else {
            java.util.Arrays.fill(sectorReturns, Double.NaN);
        }

        int kernels = plan.features().size();
        double[][] values = new double[n][plan.width()];
        for (int i = 0; i < n; i++) {
            Bar b = equities.get(symbols.get(i));
            input.bar(startMicros, b.open(), b.high(), b.low(), b.close(), b.volume(), b.vwap())
                    .session(grid.slotInSession(g), grid.barsInSessionOf(g), grid.sessionIndexOf(g))
                    .context(benchmarkReturn, sectorReturns[i]);
            state[i].update(input, values[i], 0);
        }
        double[] column = new double[n];
        double[] out = new double[n];
        List<FeaturePlan.CrossSectional> xs = plan.crossSectional();
        for (int k = 0; k < xs.size(); k++) {
            int src = xs.get(k).sourceIndex();
            for (int i = 0; i < n; i++) {
                column[i] = values[i][src];
            }
            FeatureBatch.transform(xs.get(k).op(), column, n, out);
            for (int i = 0; i < n; i++) {
                values[i][kernels + k] = out[i];
            }
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("features at {}: {} symbols, benchmark return {}", start, n, benchmarkReturn);
        }
        return new FeatureFrame(start, names, symbols, values);
    }

    /** Settings of an engine. */
    public static final class Builder {
        private final FeaturePlan plan;
        private Universe universe = Universe.defaultUniverse();
        private TradingCalendar calendar = TradingCalendar.nyse();
        private Timeframe timeframe = Timeframe.DEFAULT;

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

        public OnlineFeatureEngine build() {
            return new OnlineFeatureEngine(this);
        }
    }
}
