package io.foresail.features.context;


import io.foresail.features.kernel.BarInput;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The benchmark's bars reduced to what features and labels read: close and bar-to-bar return
 * at each of its bar starts (epoch microseconds, ascending). Small (one value per bar), so the
 * batch job broadcasts it. Immutable.
 */
public final class BenchmarkReturns implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final BenchmarkReturns NONE = new BenchmarkReturns(new long[0], new double[0]);

    private final long[] ts;
    private final double[] close;
    private final double[] returns;

    public BenchmarkReturns(long[] tsMicros, double[] close) {
        if (tsMicros.length != close.length) {
            throw new IllegalArgumentException("timestamps and closes differ in length");
        }
        this.ts = tsMicros.clone();
        this.close = close.clone();
        this.returns = new double[close.length];
        for (int i = 0; i < close.length; i++) {
            if (i > 0 && ts[i] <= ts[i - 1]) {
                throw new IllegalArgumentException("benchmark timestamps are not ascending at row " + i);
            }
            returns[i] = i == 0 ? Double.NaN : BarInput.simpleReturn(close[i - 1], close[i]);
        }
    }

    public static BenchmarkReturns none() {
        return NONE;
    }

    public int size() {
        return ts.length;
    }

    /** The return over the benchmark's bar starting at {@code tsMicros}; NaN when it has no such bar. */
    public double returnAt(long tsMicros) {
        int i = Arrays.binarySearch(ts, tsMicros);
        return i >= 0 ? returns[i] : Double.NaN;
    }

    /** The close of the benchmark's bar starting at {@code tsMicros}; NaN when it has no such bar. */
    public double closeAt(long tsMicros) {
        int i = Arrays.binarySearch(ts, tsMicros);
        return i >= 0 ? close[i] : Double.NaN;
    }
}
