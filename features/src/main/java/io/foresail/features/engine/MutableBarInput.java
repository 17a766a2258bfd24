package io.foresail.features.engine;

import io.foresail.features.kernel.BarInput;

/** The engine's reusable {@link BarInput}: one instance refilled per bar. Not thread-safe. */
public final class MutableBarInput implements BarInput {
    long tsMicros;
    double open;
    double high;
    double low;
    double close;
    double volume;
    double vwap;
    int slot;
    int barsInSession;
    int sessionOrdinal;
    double benchmarkReturn = Double.NaN;
    double sectorReturn = Double.NaN;

    /** Sets the bar's own fields. */
    public MutableBarInput bar(long tsMicros, double open, double high, double low, double close,
                               double volume, double vwap) {
        this.tsMicros = tsMicros;
        this.open = open;
        this.high = high;
        this.low = low;
        this.close = close;
        this.volume = volume;
        this.vwap = vwap;
        return this;
    }

    /** Sets where the bar sits on the calendar grid. */
    public MutableBarInput session(int slot, int barsInSession, int sessionOrdinal) {
        this.slot = slot;
        this.barsInSession = barsInSession;
        this.sessionOrdinal = sessionOrdinal;
        return this;
    }

    /** Sets the market context at the bar's time. */
    public MutableBarInput context(double benchmarkReturn, double sectorReturn) {
        this.benchmarkReturn = benchmarkReturn;
        this.sectorReturn = sectorReturn;
        return this;
    }

    @Override
    public long tsMicros() {
        return tsMicros;
    }

    @Override
    public double open() {
        return open;
    }

    @Override
    public double high() {
        return high;
    }

    @Override
    public double low() {
        return low;
    }

    @Override
    public double close() {
        return close;
    }

    @Override
    public double volume() {
        return volume;
    }

    @Override
    public double vwap() {
        return vwap;
    }

    @Override
    public int slotInSession() {
        return slot;
    }

    @Override
    public int barsInSession() {
        return barsInSession;
    }

    @Override
    public int sessionOrdinal() {
        return sessionOrdinal;
    }

    @Override
    public double benchmarkReturn() {
        return benchmarkReturn;
    }

    @Override
    public double sectorReturn() {
        return sectorReturn;
    }
}
