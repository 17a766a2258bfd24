package io.foresail.data.store;

import io.foresail.core.market.Bar;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The bars of one symbol, column by column, in stored order (normally ascending time). Timestamps
 * are bar START times in epoch microseconds UTC; prices per share, volume in shares, vwap NaN
 * when unknown. This is the bar store's unit of reading and writing: columnar so that millions of
 * bars cost arrays, not objects. Immutable once built.
 */
public final class BarSeries {
    private final String symbol;
    private final int size;
    private final long[] ts;
    private final double[] open;
    private final double[] high;
    private final double[] low;
    private final double[] close;
    private final double[] volume;
    private final double[] vwap;
    private final long[] tradeCount;

    private BarSeries(Builder b) {
        this.symbol = b.symbol;
        this.size = b.size;
        this.ts = Arrays.copyOf(b.ts, b.size);
        this.open = Arrays.copyOf(b.open, b.size);
        this.high = Arrays.copyOf(b.high, b.size);
        this.low = Arrays.copyOf(b.low, b.size);
        this.close = Arrays.copyOf(b.close, b.size);
        this.volume = Arrays.copyOf(b.volume, b.size);
        this.vwap = Arrays.copyOf(b.vwap, b.size);
        this.tradeCount = Arrays.copyOf(b.tradeCount, b.size);
    }

    public static Builder builder(String symbol) {
        return new Builder(symbol, 1024);
    }

    public static Builder builder(String symbol, int expectedSize) {
        return new Builder(symbol, expectedSize);
    }

    /** A series of {@code bars}, which must all be of {@code symbol}. */
    public static BarSeries of(String symbol, List<Bar> bars) {
        Builder b = builder(symbol, bars.size());
        for (Bar bar : bars) {
            if (!bar.symbol().equals(symbol)) {
                throw new IllegalArgumentException("bar of " + bar.symbol() + " in series of " + symbol);
            }
            b.add(bar);
        }
        return b.build();
    }

    public String symbol() {
        return symbol;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public long tsMicros(int i) {
        check(i);
        return ts[i];
    }

    public Instant start(int i) {
        return Instant.EPOCH.plusNanos(Math.multiplyExact(tsMicros(i), 1000L));
    }

    public double open(int i) {
        check(i);
        return open[i];
    }

    public double high(int i) {
        check(i);
        return high[i];
    }

    public double low(int i) {
        check(i);
        return low[i];
    }

    public double close(int i) {
        check(i);
        return close[i];
    }

    public double volume(int i) {
        check(i);
        return volume[i];
    }

    public double vwap(int i) {
        check(i);
        return vwap[i];
    }

    public long tradeCount(int i) {
        check(i);
        return tradeCount[i];
    }

    /** Copies of the columns, for columnar consumers (timestamps in epoch microseconds). */
    public long[] tsColumn() {
        return Arrays.copyOf(ts, size);
    }

    public double[] openColumn() {
        return Arrays.copyOf(open, size);
    }

    public double[] highColumn() {
        return Arrays.copyOf(high, size);
    }

    public double[] lowColumn() {
        return Arrays.copyOf(low, size);
    }

    public double[] closeColumn() {
        return Arrays.copyOf(close, size);
    }

    public double[] volumeColumn() {
        return Arrays.copyOf(volume, size);
    }

    public double[] vwapColumn() {
        return Arrays.copyOf(vwap, size);
    }

    public Bar bar(int i) {
        return new Bar(symbol, start(i), open(i), high(i), low(i), close(i), volume(i), vwap(i), tradeCount(i));
    }

    /** A new builder holding a copy of this series, to append to. */
    public Builder toBuilder() {
        Builder b = builder(symbol, size + 64);
        for (int i = 0; i < size; i++) {
            b.add(ts[i], open[i], high[i], low[i], close[i], volume[i], vwap[i], tradeCount[i]);
        }
        return b;
    }

    private void check(int i) {
        Objects.checkIndex(i, size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BarSeries s && symbol.equals(s.symbol) && size == s.size
                && Arrays.equals(ts, s.ts) && Arrays.equals(open, s.open) && Arrays.equals(high, s.high)
                && Arrays.equals(low, s.low) && Arrays.equals(close, s.close) && Arrays.equals(volume, s.volume)
                && Arrays.equals(vwap, s.vwap) && Arrays.equals(tradeCount, s.tradeCount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(symbol, size, Arrays.hashCode(ts), Arrays.hashCode(close));
    }

    @Override
    public String toString() {
        return "BarSeries[" + symbol + ", " + size + " bars" + (size > 0 ? ", " + start(0) + " .. " + start(size - 1) : "") + "]";
    }

    /** Appends bars column by column; not thread-safe. */
    public static final class Builder {
        private final String symbol;
        private int size;
        private long[] ts;
        private double[] open;
        private double[] high;
        private double[] low;
        private double[] close;
        private double[] volume;
        private double[] vwap;
        private long[] tradeCount;

        private Builder(String symbol, int capacity) {
            this.symbol = Objects.requireNonNull(symbol, "symbol");
            int c = Math.max(16, capacity);
            ts = new long[c];
            open = new double[c];
            high = new double[c];
            low = new double[c];
            close = new double[c];
            volume = new double[c];
            vwap = new double[c];
            tradeCount = new long[c];
        }

        public String symbol() {
            return symbol;
        }

        public int size() {
            return size;
        }

        public Builder add(Bar bar) {
            long micros = Math.addExact(Math.multiplyExact(bar.start().getEpochSecond(), 1_000_000L),
                    bar.start().getNano() / 1000);
            return add(micros, bar.open(), bar.high(), bar.low(), bar.close(), bar.volume(), bar.vwap(),
                    bar.tradeCount());
        }

        public Builder add(long tsMicros, double o, double h, double l, double c, double v, double vw, long n) {
            if (size == ts.length) {
                grow();
            }
            ts[size] = tsMicros;
            open[size] = o;
            high[size] = h;
            low[size] = l;
            close[size] = c;
            volume[size] = v;
            vwap[size] = vw;
            tradeCount[size] = n;
            size++;
            return this;
        }

        /** Appends row {@code i} of {@code other}. */
        public Builder add(BarSeries other, int i) {
            return add(other.ts[i], other.open[i], other.high[i], other.low[i], other.close[i],
                    other.volume[i], other.vwap[i], other.tradeCount[i]);
        }

        private void grow() {
            int c = ts.length * 2;
            ts = Arrays.copyOf(ts, c);
            open = Arrays.copyOf(open, c);
            high = Arrays.copyOf(high, c);
            low = Arrays.copyOf(low, c);
            close = Arrays.copyOf(close, c);
            volume = Arrays.copyOf(volume, c);
            vwap = Arrays.copyOf(vwap, c);
            tradeCount = Arrays.copyOf(tradeCount, c);
        }

        public BarSeries build() {
            return new BarSeries(this);
        }
    }
}
