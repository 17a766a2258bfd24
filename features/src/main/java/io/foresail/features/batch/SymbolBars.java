package io.foresail.features.batch;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.BarGrid;

import java.io.Serializable;

/**
 * One symbol's bars as column arrays in ascending time (bar START, epoch microseconds UTC), the
 * batch job's unit of work. The arrays are shared, not copied: do not modify them.
 */
public record SymbolBars(String symbol, long[] ts, double[] open, double[] high, double[] low, double[] close,
                         double[] volume, double[] vwap) implements Serializable {

    public int size() {
        return ts.length;
    }

    /** Each bar's index on {@code grid}; a bar off the grid or out of order is an error naming it. */
    public int[] gridIndex(BarGrid grid) {
        int[] out = new int[ts.length];
        for (int i = 0; i < ts.length; i++) {
            int g = ts[i] % 1_000_000L == 0 ? grid.indexOf(ts[i] / 1_000_000L) : -1;
            if (g < 0) {
                throw new InvalidInputException(symbol + ": bar " + i + " starts at "
                        + java.time.Instant.EPOCH.plusNanos(ts[i] * 1000) + ", which is not a " + grid.timeframe()
                        + " bar start of the calendar; validate the bar store (foresail data validate)");
            }
            if (i > 0 && g <= out[i - 1]) {
                throw new InvalidInputException(symbol + ": bar " + i + " is not after bar " + (i - 1)
                        + "; bars must be in ascending time without duplicates");
            }
            out[i] = g;
        }
        return out;
    }
}
