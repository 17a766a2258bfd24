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
 * already closed is late: it is returned to the caller, never folded in silently. Not thread-safe.
 */
public final class MinuteAggregator {
    private final BarGrid grid;
    private final Map<String, Partial> open = new HashMap<>();
    private final Map<String, Long> closedUpTo = new HashMap<>();

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

        Partial(int slot) {
            this.slot = slot;
        }
    }

    /** What a minute did: folded in, completed its slot (the bar), or came late (for a closed slot). */
    public record Outcome(Bar completed, boolean late, Bar closedBefore) {
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
        if (slot < 0 || slot <= closedUpTo.getOrDefault(minute.symbol(), -1L)) {
            return new Outcome(null, true, null);
        }
        Bar before = null;
        Partial p = open.get(minute.symbol());
        if (p != null && p.slot != slot) {
            before = bar(minute.symbol(), p);
            open.remove(minute.symbol());
            closedUpTo.put(minute.symbol(), (long) p.slot);
            p = null;
        }
        if (p == null) {
            p = new Partial(slot);
            p.o = minute.open();
            open.put(minute.symbol(), p);
        }
        p.h = Math.max(p.h, minute.high());
        p.l = Math.min(p.l, minute.low());
        p.c = minute.close();
        p.v += minute.volume();
        p.notional += minute.volume() * minute.vwap();
        p.n += minute.tradeCount();
        p.minutes++;
        Instant lastMinute = grid.end(slot).minusSeconds(60);
        if (!minute.start().isBefore(lastMinute)) {
            open.remove(minute.symbol());
            closedUpTo.put(minute.symbol(), (long) slot);
            return new Outcome(bar(minute.symbol(), p), false, before);
        }
        return new Outcome(null, false, before);
    }

    /** Closes every open slot that ended at or before {@code t}; returns their bars. */
    public List<Bar> closeUpTo(Instant t) {
        List<Bar> out = new ArrayList<>();
        open.entrySet().removeIf(e -> {
            if (!grid.end(e.getValue().slot).isAfter(t)) {
                out.add(bar(e.getKey(), e.getValue()));
                closedUpTo.put(e.getKey(), (long) e.getValue().slot);
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
