package io.foresail.livetrader.bars;

import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Minute bars into bars of the grid's timeframe (15 minutes by default), per symbol: open of the
 * first minute, high and low over all, close of the last, volumes and trade counts summed, VWAP
 * volume-weighted. A slot's bar is complete when its last minute has arrived; {@link #closeUpTo}
 * closes every slot that ended by a time (the grace period is the caller's). A minute for a slot
 * already closed is late: it is returned to the caller, never folded in silently. A minute seen
 * before (the stream repeats one after a reconnection) is a duplicate and never counted twice; a
 * minute out of order within its slot still sets the open or close by its time, not its arrival.
 * Not thread-safe.
 */
public final class MinuteAggregator {
    private final BarGrid grid;
    private final Map<String, Partial> open = new HashMap<>();
    private final Map<String, Long> closedUpTo = new HashMap<>();
    /** Each symbol's last closed slot and its minutes, to tell a repeated minute from a late one. */
    private final Map<String, Partial> lastClosed = new HashMap<>();
    /**
     * One instance of each symbol's name for every bar built: each minute message brings its own
     * copy, and the trader keeps thousands of bars (its correction history), which would otherwise
     * hold one string per bar instead of one per symbol.
     */
    private final Map<String, String> names = new HashMap<>();

    private static final class Partial {
        final int slot;
        double o;
        double h = Double.NEGATIVE_INFINITY;
        double l = Double.POSITIVE_INFINITY;
        double c;
        double v;
        double notional;
        long n;
        int minutes;
        final java.util.BitSet seen = new java.util.BitSet();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        Partial(int slot) {
            this.slot = slot;
        }
    }

    /**
     * What a minute did: folded in, completed its slot (the bar), came late (for a closed slot), or
     * repeated a minute already folded in ({@code duplicate}: ignored).
     */
    public record Outcome(Bar completed, boolean late, Bar closedBefore, boolean duplicate) {
        static final Outcome LATE = new Outcome(null, true, null, false);
        static final Outcome DUPLICATE = new Outcome(null, false, null, true);
    }

    public MinuteAggregator(BarGrid grid) {
        this.grid = grid;
    }

    /** The slot that holds minute {@code t}, or -1 outside every session. */
    public int slotOf(Instant t) {
        int i = grid.ceilingIndex(t.getEpochSecond());
        if (i == grid.size() || grid.startEpochSecond(i) > t.getEpochSecond()) {
            i--;
        }
        return i >= 0 && grid.end(i).isAfter(t) ? i : -1;
    }

    public BarGrid grid() {
        return grid;
    }

    /**
     * Folds one minute bar in. Returns the completed bar when this was its slot's last minute; a
     * minute of a later slot first closes the symbol's open slot (returned as {@code closedBefore}).
     */
    public Outcome add(Bar minute) {
        int slot = slotOf(minute.start());
        String symbol = names.computeIfAbsent(minute.symbol(), s -> s);
        if (slot < 0) {
            return Outcome.LATE;
        }
        int offset = (int) ((minute.start().getEpochSecond() - grid.startEpochSecond(slot)) / 60);
        if (slot <= closedUpTo.getOrDefault(symbol, -1L)) {
            Partial closed = lastClosed.get(symbol);
            return closed != null && closed.slot == slot && closed.seen.get(offset) ? Outcome.DUPLICATE : Outcome.LATE;
        }
        Bar before = null;
        Partial p = open.get(symbol);
        if (p != null && p.slot != slot) {
            before = bar(symbol, p);
            close(symbol, p);
            p = null;
        }
        if (p == null) {
            p = new Partial(slot);
            open.put(symbol, p);
        }
        if (p.seen.get(offset)) {
            return Outcome.DUPLICATE;
        }
        p.seen.set(offset);
        long t = minute.start().getEpochSecond();
        if (t < p.first) {
            p.first = t;
            p.o = minute.open();
        }
        if (t > p.last) {
            p.last = t;
            p.c = minute.close();
        }
        p.h = Math.max(p.h, minute.high());
        p.l = Math.min(p.l, minute.low());
        p.v += minute.volume();
        p.notional += minute.volume() * minute.vwap();
        p.n += minute.tradeCount();
        p.minutes++;
        Instant lastMinute = grid.end(slot).minusSeconds(60);
        if (!minute.start().isBefore(lastMinute)) {
            close(symbol, p);
            return new Outcome(bar(symbol, p), false, before, false);
        }
        return new Outcome(null, false, before, false);
    }

    private void close(String symbol, Partial p) {
        open.remove(symbol);
        closedUpTo.put(symbol, (long) p.slot);
        lastClosed.put(symbol, p);
    }

    /** Closes every open slot that ended at or before {@code t}; returns their bars. */
    public List<Bar> closeUpTo(Instant t) {
        List<Bar> out = new ArrayList<>();
        open.entrySet().removeIf(e -> {
            if (!grid.end(e.getValue().slot).isAfter(t)) {
                out.add(bar(e.getKey(), e.getValue()));
                closedUpTo.put(e.getKey(), (long) e.getValue().slot);
                lastClosed.put(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
        return out;
    }

    /** Marks {@code symbol}'s slots up to {@code slot} as settled (filled from elsewhere): later minutes for them are late. */
    public void settle(String symbol, int slot) {
        Partial p = open.get(symbol);
        if (p != null && p.slot <= slot) {
            open.remove(symbol);
        }
        closedUpTo.merge(symbol, (long) slot, Math::max);
    }

    private Bar bar(String symbol, Partial p) {
        return new Bar(symbol, grid.start(p.slot), p.o, p.h, p.l, p.c, p.v, p.v > 0 ? p.notional / p.v : Double.NaN, p.n);
    }
}
