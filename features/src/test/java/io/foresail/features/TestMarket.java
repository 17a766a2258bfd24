package io.foresail.features;

import io.foresail.features.context.SectorIndex;
import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.universe.Universe;
import io.foresail.data.store.BarSeries;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SyntheticMarket;
import io.foresail.features.batch.FeatureBatch;
import io.foresail.features.batch.SymbolBars;
import io.foresail.features.context.BenchmarkReturns;
import io.foresail.features.spec.FeaturePlan;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A small synthetic market for feature tests: equities and benchmark as {@link SymbolBars}. */
public record TestMarket(Universe universe, Timeframe timeframe, List<SymbolBars> equities, SymbolBars benchmark) {

    public static TestMarket generate(int symbols, LocalDate start, LocalDate end, long seed) {
        return generate(symbols, start, end, seed, Timeframe.MIN_15);
    }

    public static TestMarket generate(int symbols, LocalDate start, LocalDate end, long seed, Timeframe tf) {
        SyntheticMarket.Result r = SyntheticMarket.generate(SynthConfig.builder()
                .symbols(symbols).start(start).end(end).seed(seed).splits(0).timeframe(tf).build());
        List<SymbolBars> eq = new ArrayList<>();
        r.equities().forEach(e -> eq.add(of(e.raw())));
        return new TestMarket(Universe.defaultUniverse(), tf, eq, of(r.benchmark().raw()));
    }

    public static SymbolBars of(BarSeries s) {
        return new SymbolBars(s.symbol(), s.tsColumn(), s.openColumn(), s.highColumn(), s.lowColumn(), s.closeColumn(),
                s.volumeColumn(), s.vwapColumn());
    }

    public BarGrid grid() {
        return TradingCalendar.nyse().grid(timeframe);
    }

    public BenchmarkReturns benchmarkReturns() {
        return new BenchmarkReturns(benchmark.ts(), benchmark.close());
    }

    public FeatureBatch batch(FeaturePlan plan) {
        return new FeatureBatch(plan, grid(), benchmarkReturns(), SectorIndex.of(universe).bySymbol(),
                SectorIndex.of(universe).count());
    }

    /** Every bar (equities and benchmark) grouped by start time, ascending. */
    public Map<Long, List<Bar>> barsByTime() {
        Map<Long, List<Bar>> out = new TreeMap<>();
        List<SymbolBars> all = new ArrayList<>(equities);
        all.add(benchmark);
        for (SymbolBars b : all) {
            for (int i = 0; i < b.size(); i++) {
                out.computeIfAbsent(b.ts()[i], k -> new ArrayList<>()).add(bar(b, i));
            }
        }
        return out;
    }

    public static Bar bar(SymbolBars b, int i) {
        return new Bar(b.symbol(), Instant.EPOCH.plusNanos(b.ts()[i] * 1000), b.open()[i], b.high()[i], b.low()[i],
                b.close()[i], b.volume()[i], b.vwap()[i], 0);
    }
}
