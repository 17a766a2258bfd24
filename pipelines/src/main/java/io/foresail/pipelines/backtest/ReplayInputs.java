package io.foresail.pipelines.backtest;

import io.foresail.backtest.tape.BarTape;
import io.foresail.backtest.tape.ScoreTape;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.universe.Universe;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.synth.OracleFile;
import io.foresail.pipelines.predict.PredictionFile;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a replay reads, from files: a bar store's equities and benchmark as a {@link BarTape} on the
 * calendar's grid over a period, and scores from a prediction file or the synthetic market's oracle
 * as a {@link ScoreTape} on that tape's axis. Every problem is a clear error before the replay
 * starts: a period with no bars, a benchmark missing from the store, scores for no bar of the period.
 */
public final class ReplayInputs {

    private ReplayInputs() {
    }

    /** The store's equities of {@code universe} (store order) and its benchmark, every grid bar in [from, to]. */
    public static BarTape tape(BarStore store, Universe universe, TradingCalendar calendar, Instant from, Instant to) {
        String benchmark = universe.benchmark().symbol();
        if (!store.symbols().contains(benchmark)) {
            throw new InvalidInputException(store.root() + ": the benchmark " + benchmark + " is not in the bar store ("
                    + store.symbols().size() + " symbols); import it, or name another benchmark in the universe file");
        }
        List<String> equities = new ArrayList<>();
        for (String s : store.symbols()) {
            if (!s.equals(benchmark)) {
                equities.add(s);
            }
        }
        if (equities.isEmpty()) {
            throw new InvalidInputException(store.root() + ": no equities besides the benchmark");
        }
        BarGrid grid = calendar.grid(store.timeframe());
        List<BarSeries> series = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (String s : equities) {
            BarSeries b = store.read(s);
            series.add(b);
            if (!b.isEmpty()) {
                first = Math.min(first, b.tsMicros(0) / 1_000_000);
                last = Math.max(last, b.tsMicros(b.size() - 1) / 1_000_000);
            }
        }
        long lo = Math.max(first, from == null ? Long.MIN_VALUE : from.getEpochSecond());
        long hi = Math.min(last, to == null ? Long.MAX_VALUE : to.getEpochSecond());
        int a = grid.ceilingIndex(lo);
        int z = a;
        while (z < grid.size() && grid.startEpochSecond(z) <= hi) {
            z++;
        }
        if (first == Long.MAX_VALUE || a < 0 || z - a < 2) {
            throw new InvalidInputException(store.root() + ": no bars in the period " + (from == null ? "start" : from) + " .. "
                    + (to == null ? "end" : to) + " (the store holds " + (first == Long.MAX_VALUE ? "no bars"
                    : Instant.ofEpochSecond(first) + " .. " + Instant.ofEpochSecond(last)) + ")");
        }
        int bars = z - a;
        long[] starts = new long[bars];
        for (int t = 0; t < bars; t++) {
            starts[t] = grid.startEpochSecond(a + t);
        }
        int n = equities.size();
        double[][][] f = new double[6][n][bars];
        for (int i = 0; i < n; i++) {
            fill(series.get(i), starts, f, i);
        }
        double[][][] b = new double[6][1][bars];
        fill(store.read(benchmark), starts, b, 0);
        return new BarTape(equities, starts, f[0], f[1], f[2], f[3], f[4], f[5], benchmark, b[3][0]);
    }

    private static void fill(BarSeries s, long[] starts, double[][][] f, int i) {
        for (double[][] field : f) {
            Arrays.fill(field[i], Double.NaN);
        }
        for (int k = 0; k < s.size(); k++) {
            int t = Arrays.binarySearch(starts, s.tsMicros(k) / 1_000_000);
            if (t >= 0) {
                f[0][i][t] = s.open(k);
                f[1][i][t] = s.high(k);
                f[2][i][t] = s.low(k);
                f[3][i][t] = s.close(k);
                f[4][i][t] = s.volume(k);
                f[5][i][t] = s.vwap(k);
            }
        }
    }

    /** A prediction file's scores on the tape's axis; {@code ic} is the model's measured IC (NaN: unknown). */
    public static ScoreTape predictions(Path file, BarTape tape, double ic) {
        PredictionFile.Rows rows = PredictionFile.read(file);
        double[][] v = empty(tape);
        Map<String, Integer> index = index(tape);
        long placed = 0;
        String version = null;
        for (int r = 0; r < rows.size(); r++) {
            Integer i = index.get(rows.symbol().get(r));
            int t = Arrays.binarySearch(tape.starts(), rows.tsMicros()[r] / 1_000_000);
            if (i != null && t >= 0 && !Double.isNaN(rows.score()[r])) {
                v[t][i] = rows.score()[r];
                placed++;
                version = rows.modelVersion().get(r);
            }
        }
        if (placed == 0) {
            throw new InvalidInputException(file + ": none of its " + rows.size() + " predictions falls on a bar of the period "
                    + tape.start(0) + " .. " + tape.start(tape.bars() - 1) + " for the store's symbols");
        }
        return new ScoreTape(version, v, ic);
    }

    /**
     * A training run's out-of-fold predictions ({@code oof/<model>.csv}: symbol, ts, fold,
     * prediction, label) on the tape's axis.
     */
    public static ScoreTape outOfFold(Path file, BarTape tape) {
        double[][] v = empty(tape);
        Map<String, Integer> index = index(tape);
        long placed = 0;
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(file)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("symbol,ts,fold,prediction")) {
                throw new InvalidInputException(file + ": not an out-of-fold prediction file (header '" + header
                        + "', expected symbol,ts,fold,prediction,...)");
            }
            String line;
            int row = 1;
            while ((line = in.readLine()) != null) {
                row++;
                String[] f = line.split(",", -1);
                if (f.length < 4) {
                    throw new InvalidInputException(file + " row " + row + ": " + f.length + " fields, expected at least 4");
                }
                Integer i = index.get(f[0]);
                int t;
                double p;
                try {
                    t = Arrays.binarySearch(tape.starts(), Instant.parse(f[1]).getEpochSecond());
                    p = Double.parseDouble(f[3]);
                } catch (RuntimeException e) {
                    throw new InvalidInputException(file + " row " + row + ": cannot read ts '" + f[1] + "' or prediction '"
                            + f[3] + "'");
                }
                if (i != null && t >= 0 && !Double.isNaN(p)) {
                    v[t][i] = p;
                    placed++;
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidInputException(file + ": file not found");
        } catch (java.io.IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
        if (placed == 0) {
            throw new InvalidInputException(file + ": no out-of-fold prediction falls on a bar of the period for the store's "
                    + "symbols");
        }
        String model = file.getFileName().toString().replaceFirst("\\.csv$", "");
        return new ScoreTape("out-of-fold " + model, v, Double.NaN);
    }

    /** The synthetic market's oracle: expected_return(t), the next bar's expected return known at t. */
    public static ScoreTape oracle(Path file, BarTape tape) {
        return oracle(file, tape, 1);
    }

    /**
     * The synthetic market's oracle over a holding period: the return expected over the next
     * {@code horizonBars} bars, known at t ({@code OracleFile.Series#expectedOver}); 1 is the
     * next-bar expected return as stored.
     */
    public static ScoreTape oracle(Path file, BarTape tape, int horizonBars) {
        if (horizonBars < 1) {
            throw new InvalidInputException("oracle horizon must be at least 1 bar, got " + horizonBars);
        }
        Map<String, OracleFile.Series> series = OracleFile.read(file);
        double[][] v = empty(tape);
        Map<String, Integer> index = index(tape);
        long placed = 0;
        for (OracleFile.Series s : series.values()) {
            Integer i = index.get(s.symbol());
            if (i == null) {
                continue;
            }
            for (int k = 0; k < s.tsMicros().length; k++) {
                int t = Arrays.binarySearch(tape.starts(), s.tsMicros()[k] / 1_000_000);
                double e = horizonBars == 1 ? s.expectedReturn()[k] : s.expectedOver(k, horizonBars);
                if (t >= 0 && !Double.isNaN(e)) {
                    v[t][i] = e;
                    placed++;
                }
            }
        }
        if (placed == 0) {
            throw new InvalidInputException(file + ": the oracle has no value on a bar of the period for the store's symbols");
        }
        return new ScoreTape(horizonBars == 1 ? "oracle" : "oracle over " + horizonBars + " bars", v, Double.NaN);
    }

    private static double[][] empty(BarTape tape) {
        double[][] v = new double[tape.bars()][tape.symbols().size()];
        for (double[] row : v) {
            Arrays.fill(row, Double.NaN);
        }
        return v;
    }

    private static Map<String, Integer> index(BarTape tape) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < tape.symbols().size(); i++) {
            m.put(tape.symbols().get(i), i);
        }
        return m;
    }

    /** Each equity's sector from the universe ("unclassified" for a name the universe does not list). */
    public static List<String> sectors(BarTape tape, Universe universe) {
        List<String> out = new ArrayList<>();
        for (String s : tape.symbols()) {
            out.add(universe.equity(s).map(e -> e.sector().name()).orElse("unclassified"));
        }
        return out;
    }
}
