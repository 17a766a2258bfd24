package io.foresail.backtest.tape;

import io.foresail.core.error.InvalidInputException;

import java.time.Instant;
import java.util.List;

/**
 * Bars of a universe aligned on one time axis, for a replay: {@code starts[t]} (UTC epoch seconds,
 * every bar of the session grid in the period, in order) and per symbol (in {@code symbols} order)
 * its open, high, low, close, volume and VWAP at each {@code t}; {@code NaN} where the symbol has no
 * bar. The benchmark's closes ride along ({@code NaN} where missing). Arrays are indexed
 * {@code [symbol][t]} and owned by the tape: nobody writes to them after construction.
 */
public record BarTape(List<String> symbols, long[] starts, double[][] open, double[][] high, double[][] low,
                      double[][] close, double[][] volume, double[][] vwap, String benchmark, double[] benchmarkClose) {

    public BarTape {
        symbols = List.copyOf(symbols);
        int s = symbols.size();
        for (double[][] field : new double[][][] {open, high, low, close, volume, vwap}) {
            if (field.length != s) {
                throw new InvalidInputException("bar tape: " + field.length + " series for " + s + " symbols");
            }
            for (double[] series : field) {
                if (series.length != starts.length) {
                    throw new InvalidInputException("bar tape: a series of " + series.length + " bars on an axis of "
                            + starts.length);
                }
            }
        }
        if (benchmarkClose.length != starts.length) {
            throw new InvalidInputException("bar tape: benchmark has " + benchmarkClose.length + " bars on an axis of "
                    + starts.length);
        }
        for (int t = 1; t < starts.length; t++) {
            if (starts[t] <= starts[t - 1]) {
                throw new InvalidInputException("bar tape: bar starts not strictly increasing at " + Instant.ofEpochSecond(starts[t]));
            }
        }
    }

    public int bars() {
        return starts.length;
    }

    public Instant start(int t) {
        return Instant.ofEpochSecond(starts[t]);
    }

    /** Bar {@code t} of every symbol, as the market data port delivers it (fresh arrays). */
    public io.foresail.trading.market.CrossSection crossSection(int t, boolean sessionClose) {
        int n = symbols.size();
        double[][] f = new double[6][n];
        double[][][] src = {open, high, low, close, volume, vwap};
        for (int k = 0; k < 6; k++) {
            for (int i = 0; i < n; i++) {
                f[k][i] = src[k][i][t];
            }
        }
        return new io.foresail.trading.market.CrossSection(start(t), sessionClose, symbols, f[0], f[1], f[2], f[3], f[4],
                f[5]);
    }

    /** The bar's closes of every symbol at {@code t}, into {@code out}. */
    public void closes(int t, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = close[i][t];
        }
    }
}
