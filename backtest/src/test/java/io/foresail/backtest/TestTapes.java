package io.foresail.backtest;

import io.foresail.backtest.tape.BarTape;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random-walk bar tapes on the NYSE 15-minute grid, for replay tests. */
final class TestTapes {
    static final TradingCalendar NYSE = TradingCalendar.nyse();
    static final BarGrid GRID = NYSE.grid(Timeframe.MIN_15);

    private TestTapes() {
    }

    /** {@code symbols} names over {@code bars} grid bars from 2024-03-04, volume 100,000 a bar. */
    static BarTape randomWalk(int symbols, int bars, long seed) {
        Random rnd = new Random(seed);
        int first = GRID.indexOf(Instant.parse("2024-03-04T14:30:00Z"));
        long[] starts = new long[bars];
        List<String> names = new ArrayList<>();
        double[][] o = new double[symbols][bars];
        double[][] h = new double[symbols][bars];
        double[][] l = new double[symbols][bars];
        double[][] c = new double[symbols][bars];
        double[][] v = new double[symbols][bars];
        double[][] w = new double[symbols][bars];
        double[] bench = new double[bars];
        for (int i = 0; i < symbols; i++) {
            names.add("S" + (char) ('A' + i / 26) + (char) ('A' + i % 26));
        }
        double b = 400;
        for (int t = 0; t < bars; t++) {
            starts[t] = GRID.startEpochSecond(first + t);
            b *= 1 + 0.001 * rnd.nextGaussian();
            bench[t] = b;
        }
        for (int i = 0; i < symbols; i++) {
            double p = 20 + 10 * i;
            for (int t = 0; t < bars; t++) {
                double open = p * (1 + 0.001 * rnd.nextGaussian());
                double close = open * (1 + 0.003 * rnd.nextGaussian());
                o[i][t] = open;
                c[i][t] = close;
                h[i][t] = Math.max(open, close) * (1 + 0.001 * Math.abs(rnd.nextGaussian()));
                l[i][t] = Math.min(open, close) * (1 - 0.001 * Math.abs(rnd.nextGaussian()));
                w[i][t] = (open + close + h[i][t] + l[i][t]) / 4;
                v[i][t] = 100_000;
                p = close;
            }
        }
        return new BarTape(names, starts, o, h, l, c, v, w, "SPY", bench);
    }

    static List<String> sectors(int symbols) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < symbols; i++) {
            s.add("sector" + i % 5);
        }
        return s;
    }
}
