package io.foresail.features.batch;

import io.foresail.features.kernel.BarInput;
import io.foresail.core.market.BarGrid;
import io.foresail.features.context.BenchmarkReturns;
import io.foresail.features.context.CrossSection;
import io.foresail.features.engine.MutableBarInput;
import io.foresail.features.engine.SymbolFeatures;
import io.foresail.features.kernel.Feature;
import io.foresail.features.label.Labeler;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.features.spec.NanPolicy;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The batch computation of a feature set in three passes, each a pure function so that a
 * distributed runner (the Spark job) can run them as tasks and a test can run them in a loop:
 * <ol>
 *   <li>{@link #symbolPass} per symbol, in time order: own returns and the values of the features
 *       that cross-sectional outputs read, cut into calendar-month chunks;</li>
 *   <li>{@link #monthPass} per month, across symbols: leave-one-out sector returns and the
 *       cross-sectional ranks and z-scores at each timestamp;</li>
 *   <li>{@link #featurePass} per symbol, in time order: every kernel with its market context,
 *       the cross-sectional values, and the labels.</li>
 * </ol>
 * Symbols are always taken in ascending order inside a timestamp, the same order as the
 * {@code OnlineFeatureEngine}, so both produce the same bits.
 */
public final class FeatureBatch {

    private final FeaturePlan plan;
    private final BarGrid grid;
    private final BenchmarkReturns benchmark;
    private final Map<String, Integer> sectorOf;
    private final int sectors;

    /**
     * @param sectorOf sector index (0..sectors-1) of every equity in the set
     */
    public FeatureBatch(FeaturePlan plan, BarGrid grid, BenchmarkReturns benchmark, Map<String, Integer> sectorOf,
                        int sectors) {
        this.plan = plan;
        this.grid = grid;
        this.benchmark = benchmark;
        this.sectorOf = Map.copyOf(sectorOf);
        this.sectors = sectors;
    }

    /** A month of one symbol's returns and cross-sectional source values (pass 1 output). */
    public record SourceChunk(String symbol, int month, long[] ts, double[] returns, double[][] sources)
            implements Serializable {
    }

    /** A month of one symbol's market context: sector return and cross-sectional outputs (pass 2 output). */
    public record ContextChunk(String symbol, int month, long[] ts, double[] sectorReturns, double[][] crossSectional)
            implements Serializable {
    }

    /**
     * One symbol's finished columns (pass 3 output): {@code features[k][row]} in plan column order,
     * {@code labels[k][row]} in label order, after the NaN policy. {@code dropped} counts warm-up
     * rows removed by {@link NanPolicy#DROP_WARMUP}.
     */
    public record SymbolColumns(String symbol, long[] ts, double[][] features, double[][] labels, int dropped)
            implements Serializable {
        public int rows() {
            return ts.length;
        }
    }

    /** The month key (year * 12 + month - 1, exchange-local) of grid bar {@code g}. */
    public int monthOf(int g) {
        LocalDate d = grid.sessionOf(g).date();
        return d.getYear() * 12 + d.getMonthValue() - 1;
    }

    /**
     * Runs the three passes in this thread over every equity: the reference runner (tests, small
     * sets). The Spark job runs the same passes as tasks.
     *
     * @return each symbol's columns, symbols ascending
     */
    public List<SymbolColumns> runAll(List<SymbolBars> equities) {
        Map<Integer, List<SourceChunk>> byMonth = new TreeMap<>();
        for (SymbolBars b : equities) {
            for (SourceChunk c : symbolPass(b)) {
                byMonth.computeIfAbsent(c.month(), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, List<ContextChunk>> bySymbol = new TreeMap<>();
        byMonth.forEach((month, chunks) -> {
            for (ContextChunk c : monthPass(month, chunks)) {
                bySymbol.computeIfAbsent(c.symbol(), k -> new ArrayList<>()).add(c);
            }
        });
        List<SymbolBars> sorted = new ArrayList<>(equities);
        sorted.sort(Comparator.comparing(SymbolBars::symbol));
        List<SymbolColumns> out = new ArrayList<>();
        for (SymbolBars b : sorted) {
            out.add(featurePass(b, bySymbol.getOrDefault(b.symbol(), List.of())));
        }
        return out;
    }

    // ---- pass 1 ---------------------------------------------------------------------------------

    public List<SourceChunk> symbolPass(SymbolBars bars) {
        int[] g = bars.gridIndex(grid);
        int[] sourceIdx = plan.crossSectionalSources();
        List<Feature> sources = new ArrayList<>();
        for (int i : sourceIdx) {
            sources.add(plan.features().get(i));
        }
        SymbolFeatures kernels = new SymbolFeatures(sources);
        MutableBarInput in = new MutableBarInput();
        int n = bars.size();
        double[] returns = new double[n];
        double[][] values = new double[sourceIdx.length][n];
        double[] row = new double[sourceIdx.length];
        for (int i = 0; i < n; i++) {
            returns[i] = i == 0 ? Double.NaN : BarInput.simpleReturn(bars.close()[i - 1], bars.close()[i]);
            fill(in, bars, i, g[i], Double.NaN);
            kernels.update(in, row, 0);
            for (int k = 0; k < row.length; k++) {
                values[k][i] = row[k];
            }
        }
        List<SourceChunk> out = new ArrayList<>();
        forEachMonth(g, (month, from, to) -> {
            double[][] src = new double[values.length][];
            for (int k = 0; k < values.length; k++) {
                src[k] = java.util.Arrays.copyOfRange(values[k], from, to);
            }
            out.add(new SourceChunk(bars.symbol(), month, java.util.Arrays.copyOfRange(bars.ts(), from, to),
                    java.util.Arrays.copyOfRange(returns, from, to), src));
        });
        return out;
    }

    // ---- pass 2 ---------------------------------------------------------------------------------

    public List<ContextChunk> monthPass(int month, List<SourceChunk> chunks) {
        List<SourceChunk> sorted = new ArrayList<>(chunks);
        sorted.sort(Comparator.comparing(SourceChunk::symbol));
        int m = sorted.size();
        int[] sector = new int[m];
        for (int s = 0; s < m; s++) {
            Integer sec = sectorOf.get(sorted.get(s).symbol());
            if (sec == null) {
                throw new IllegalStateException("no sector for " + sorted.get(s).symbol());
            }
            sector[s] = sec;
        }
        // Every timestamp of the month, ascending, with each symbol's cursor.
        TreeMap<Long, List<Integer>> bySymbolAt = new TreeMap<>();
        for (int s = 0; s < m; s++) {
            for (long t : sorted.get(s).ts()) {
                bySymbolAt.computeIfAbsent(t, k -> new ArrayList<>()).add(s);
            }
        }
        List<FeaturePlan.CrossSectional> xs = plan.crossSectional();
        int[] sourceIdx = plan.crossSectionalSources();
        int[] sourceColumn = new int[xs.size()];
        for (int k = 0; k < xs.size(); k++) {
            sourceColumn[k] = java.util.Arrays.binarySearch(sourceIdx, xs.get(k).sourceIndex());
        }
        int[] cursor = new int[m];
        double[][] sectorOut = new double[m][];
        double[][][] xsOut = new double[m][xs.size()][];
        for (int s = 0; s < m; s++) {
            int len = sorted.get(s).ts().length;
            sectorOut[s] = new double[len];
            for (int k = 0; k < xs.size(); k++) {
                xsOut[s][k] = new double[len];
            }
        }
        int[] present = new int[m];
        int[] presentSector = new int[m];
        double[] rets = new double[m];
        double[] loo = new double[m];
        double[] column = new double[m];
        double[] transformed = new double[m];
        for (Map.Entry<Long, List<Integer>> e : bySymbolAt.entrySet()) {
            int n = 0;
            for (int s : e.getValue()) {
                present[n] = s;
                presentSector[n] = sector[s];
                rets[n] = sorted.get(s).returns()[cursor[s]];
                n++;
            }
            CrossSection.sectorReturnsExcludingSelf(presentSector, rets, n, sectors, loo);
            for (int k = 0; k < xs.size(); k++) {
                for (int p = 0; p < n; p++) {
                    int s = present[p];
                    column[p] = sorted.get(s).sources()[sourceColumn[k]][cursor[s]];
                }
                CrossSection.transform(xs.get(k).op(), column, n, transformed);
                for (int p = 0; p < n; p++) {
                    int s = present[p];
                    xsOut[s][k][cursor[s]] = transformed[p];
                }
            }
            for (int p = 0; p < n; p++) {
                int s = present[p];
                sectorOut[s][cursor[s]] = loo[p];
                cursor[s]++;
            }
        }
        List<ContextChunk> out = new ArrayList<>(m);
        for (int s = 0; s < m; s++) {
            SourceChunk c = sorted.get(s);
            out.add(new ContextChunk(c.symbol(), month, c.ts(), sectorOut[s], xsOut[s]));
        }
        return out;
    }

    /** Applies a cross-sectional op; shared with the online engine. */
    // ---- pass 3 ---------------------------------------------------------------------------------

    /** @param context the symbol's context chunks, any order */
    public SymbolColumns featurePass(SymbolBars bars, List<ContextChunk> context) {
        int[] g = bars.gridIndex(grid);
        int n = bars.size();
        List<ContextChunk> chunks = new ArrayList<>(context);
        chunks.sort(Comparator.comparingInt(ContextChunk::month));
        double[] sectorRet = new double[n];
        int width = plan.width();
        int kernelCount = plan.features().size();
        double[][] columns = new double[width][n];
        int at = 0;
        for (ContextChunk c : chunks) {
            for (int i = 0; i < c.ts().length; i++, at++) {
                if (at >= n || c.ts()[i] != bars.ts()[at]) {
                    throw new IllegalStateException(bars.symbol() + ": context does not line up with bars at row " + at);
                }
                sectorRet[at] = c.sectorReturns()[i];
                for (int k = 0; k < c.crossSectional().length; k++) {
                    columns[kernelCount + k][at] = c.crossSectional()[k][i];
                }
            }
        }
        if (at != n) {
            throw new IllegalStateException(bars.symbol() + ": context covers " + at + " of " + n + " bars");
        }
        SymbolFeatures kernels = new SymbolFeatures(plan.features());
        MutableBarInput in = new MutableBarInput();
        double[] row = new double[kernelCount];
        for (int i = 0; i < n; i++) {
            fill(in, bars, i, g[i], sectorRet[i]);
            kernels.update(in, row, 0);
            for (int k = 0; k < kernelCount; k++) {
                columns[k][i] = row[k];
            }
        }
        double[][] labels = new Labeler(plan.labels(), grid, benchmark).labels(g, bars.close());
        int drop = plan.nanPolicy() == NanPolicy.DROP_WARMUP ? Math.min(n, plan.maxWarmUp() - 1) : 0;
        if (drop > 0) {
            for (int k = 0; k < width; k++) {
                columns[k] = java.util.Arrays.copyOfRange(columns[k], drop, n);
            }
            for (int k = 0; k < labels.length; k++) {
                labels[k] = java.util.Arrays.copyOfRange(labels[k], drop, n);
            }
        }
        return new SymbolColumns(bars.symbol(), java.util.Arrays.copyOfRange(bars.ts(), drop, n), columns, labels, drop);
    }

    private void fill(MutableBarInput in, SymbolBars b, int i, int g, double sectorReturn) {
        in.bar(b.ts()[i], b.open()[i], b.high()[i], b.low()[i], b.close()[i], b.volume()[i], b.vwap()[i])
                .session(grid.slotInSession(g), grid.barsInSessionOf(g), grid.sessionIndexOf(g))
                .context(benchmark.returnAt(b.ts()[i]), sectorReturn);
    }

    private interface MonthRange {
        void accept(int month, int from, int to);
    }

    private void forEachMonth(int[] g, MonthRange f) {
        int from = 0;
        while (from < g.length) {
            int month = monthOf(g[from]);
            int to = from + 1;
            while (to < g.length && monthOf(g[to]) == month) {
                to++;
            }
            f.accept(month, from, to);
            from = to;
        }
    }
}
