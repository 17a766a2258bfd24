package io.foresail.trading.market;

import io.foresail.core.error.InvalidInputException;

import java.time.Instant;
import java.util.List;

/**
 * One bar of the whole universe, as it closes: the bar's start (UTC, the bar's identity), and per
 * symbol (in {@code symbols} order) its open, high, low, close, volume and VWAP. A symbol without a
 * bar (a halt, a gap, not yet listed) has {@code NaN} everywhere. {@code sessionClose} says that
 * the bar is its session's last (the calendar's, early closes included): day orders expire with
 * it. The arrays are owned by the cross-section and must not be changed by readers.
 */
public record CrossSection(Instant start, boolean sessionClose, List<String> symbols, double[] open, double[] high,
                           double[] low, double[] close, double[] volume, double[] vwap) {
    public CrossSection {
        int n = symbols.size();
        for (double[] column : new double[][] {open, high, low, close, volume, vwap}) {
            if (column.length != n) {
                throw new InvalidInputException("cross-section at " + start + ": " + column.length + " values for " + n
                        + " symbols");
            }
        }
    }

    /** Whether {@code i} has a bar here. */
    public boolean has(int i) {
        return !Double.isNaN(close[i]);
    }
}
