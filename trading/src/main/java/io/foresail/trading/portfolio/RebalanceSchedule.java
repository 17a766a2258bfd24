package io.foresail.trading.portfolio;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.BarGrid;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * When the book is rebuilt from scores: every {@code n} bars of the session grid (counted from the
 * first bar of each session, so the times do not drift from day to day), or at chosen times of day
 * (the close of the bar that ends then, exchange time), or at each session's last bar ("close",
 * which honours early closes). Between rebalances the book is held; risk rules still act on every
 * bar. Immutable.
 */
public final class RebalanceSchedule {
    private final int everyBars;
    private final Set<LocalTime> times;
    private final boolean atClose;
    private final ZoneId zone;

    private RebalanceSchedule(int everyBars, Set<LocalTime> times, boolean atClose, ZoneId zone) {
        this.everyBars = everyBars;
        this.times = times;
        this.atClose = atClose;
        this.zone = zone;
    }

    /** Every {@code n} bars: at the close of bars n, 2n, ... of each session (n = 1: every bar). */
    public static RebalanceSchedule everyBars(int n) {
        if (n < 1) {
            throw new InvalidInputException("rebalance every_bars must be at least 1, got " + n);
        }
        return new RebalanceSchedule(n, Set.of(), false, null);
    }

    /**
     * At the given decision times (bar closes, exchange local time, {@code HH:mm}); the word
     * {@code close} means each session's last bar.
     */
    public static RebalanceSchedule at(List<String> times, ZoneId zone) {
        if (times.isEmpty()) {
            throw new InvalidInputException("rebalance times is empty");
        }
        Set<LocalTime> parsed = new TreeSet<>();
        boolean close = false;
        for (String t : times) {
            if (t.equalsIgnoreCase("close")) {
                close = true;
                continue;
            }
            try {
                parsed.add(LocalTime.parse(t));
            } catch (java.time.format.DateTimeParseException e) {
                throw new InvalidInputException("rebalance time '" + t + "' is not HH:mm (exchange time) or 'close'");
            }
        }
        return new RebalanceSchedule(0, Set.copyOf(parsed), close, zone);
    }

    /** Whether the decision at the close of grid bar {@code i} rebuilds the book. */
    public boolean isRebalance(BarGrid grid, int i) {
        if (everyBars > 0) {
            return (grid.slotInSession(i) + 1) % everyBars == 0;
        }
        if (atClose && grid.slotInSession(i) == grid.barsInSessionOf(i) - 1) {
            return true;
        }
        if (times.isEmpty()) {
            return false;
        }
        Instant end = grid.end(i);
        return times.contains(LocalTime.ofInstant(end, zone));
    }

    @Override
    public String toString() {
        return everyBars > 0 ? "every " + everyBars + " bars" : "at " + (atClose ? "close " : "") + times;
    }
}
