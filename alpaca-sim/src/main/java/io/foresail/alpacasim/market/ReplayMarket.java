package io.foresail.alpacasim.market;

import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.market.TradingSession;
import io.foresail.trading.market.CrossSection;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The market the simulator replays: each symbol's stored bars laid on the calendar's grid, and
 * the minute bars derived from them ({@link MinuteBars}, seeded), served by minute to the venue
 * and the streams and by any timeframe to the bars API. Thread-safe: the
 * bars never change; the one cached slot of derived minutes is replaced whole.
 *
 * <p>Times are UTC instants; a bar is identified by its START. Nothing here knows what time it is:
 * the caller passes the simulator's clock, and the bars API never serves a bar that has not ended.
 */
public final class ReplayMarket {
    private final List<String> symbols;
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final TradingCalendar calendar;
    private final Timeframe stored;
    private final BarGrid grid;
    private final Bar[][] bars; // [symbol][grid slot], null where the store has none
    private final long seed;
    /** The last stored bar's minutes derived, per symbol: the clock asks for one minute at a time. */
    private volatile SlotMinutes lastSlot;

    private record SlotMinutes(int slot, List<List<Bar>> bySymbol) {
    }

    /**
     * @param series each symbol's stored bars, in time order, on {@code calendar}'s grid of {@code stored}
     * @param seed   the seed of the minute paths
     */
    public ReplayMarket(Map<String, List<Bar>> series, Timeframe stored, TradingCalendar calendar, long seed) {
        if (!stored.isIntraday() || stored.duration().toMinutes() > 60) {
            throw new IllegalArgumentException("the simulator replays intraday bars of up to an hour, not " + stored);
        }
        this.symbols = List.copyOf(series.keySet());
        this.calendar = calendar;
        this.stored = stored;
        this.grid = calendar.grid(stored);
        this.seed = seed;
        this.bars = new Bar[symbols.size()][];
        for (int s = 0; s < symbols.size(); s++) {
            index.put(symbols.get(s), s);
            Bar[] row = new Bar[grid.size()];
            for (Bar b : series.get(symbols.get(s))) {
                int slot = grid.indexOf(b.start());
                if (slot < 0) {
                    throw new IllegalArgumentException("bar " + b.symbol() + " at " + b.start() + " is not on the "
                            + stored + " grid of " + calendar.name());
                }
                row[slot] = b;
            }
            bars[s] = row;
        }
    }

    public List<String> symbols() {
        return symbols;
    }

    public boolean has(String symbol) {
        return index.containsKey(symbol);
    }

    public TradingCalendar calendar() {
        return calendar;
    }

    public Timeframe storedTimeframe() {
        return stored;
    }

    /** The first and last instants the store covers (first bar's start, last bar's end). */
    public Instant first() {
        for (int slot = 0; slot < grid.size(); slot++) {
            for (Bar[] row : bars) {
                if (row[slot] != null) {
                    return grid.start(slot);
                }
            }
        }
        throw new IllegalStateException("the store holds no bars");
    }

    public Instant last() {
        for (int slot = grid.size() - 1; slot >= 0; slot--) {
            for (Bar[] row : bars) {
                if (row[slot] != null) {
                    return grid.end(slot);
                }
            }
        }
        throw new IllegalStateException("the store holds no bars");
    }

    /** The session containing {@code t}, if {@code t} is inside regular trading hours. */
    public Optional<TradingSession> sessionAt(Instant t) {
        return calendar.session(calendar.localDate(t)).filter(s -> s.contains(t));
    }

    /** The next session opening after {@code t} (or at it). */
    public Optional<TradingSession> nextSession(Instant t) {
        LocalDate d = calendar.localDate(t);
        for (int i = 0; i < 15 && !d.isAfter(calendar.lastDate()); i++, d = d.plusDays(1)) {
            Optional<TradingSession> s = calendar.session(d);
            if (s.isPresent() && !s.get().open().isBefore(t)) {
                return s;
            }
        }
        return Optional.empty();
    }

    /** The minute bars of {@code symbol} in the stored bar at {@code slot}. */
    private List<Bar> minutesOf(int s, int slot) {
        Bar b = bars[s][slot];
        if (b == null) {
            return List.of();
        }
        int minutes = (int) ((grid.end(slot).getEpochSecond() - grid.start(slot).getEpochSecond()) / 60);
        return MinuteBars.of(b, minutes, seed);
    }

    /**
     * Every symbol's bar for the minute starting at {@code minute} (symbols without trades that
     * minute left out). A stored bar's minutes are derived once for all its minutes.
     */
    public List<Bar> minute(Instant minute) {
        int slot = slotOf(minute);
        if (slot < 0) {
            return List.of();
        }
        SlotMinutes cached = lastSlot;
        if (cached == null || cached.slot() != slot) {
            List<List<Bar>> bySymbol = new ArrayList<>(symbols.size());
            for (int s = 0; s < symbols.size(); s++) {
                bySymbol.add(minutesOf(s, slot));
            }
            cached = new SlotMinutes(slot, bySymbol);
            lastSlot = cached;
        }
        List<Bar> out = new ArrayList<>();
        for (List<Bar> ofSymbol : cached.bySymbol()) {
            for (Bar m : ofSymbol) {
                if (m.start().equals(minute)) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** The minute as the venue trades it: every symbol, NaN where it did not trade; flagged when it ends a session. */
    public CrossSection crossSection(Instant minute, List<Bar> minuteBars) {
        int n = symbols.size();
        double[] o = nan(n), h = nan(n), l = nan(n), c = nan(n), v = new double[n], vw = nan(n);
        for (Bar b : minuteBars) {
            int s = index.get(b.symbol());
            o[s] = b.open();
            h[s] = b.high();
            l[s] = b.low();
            c[s] = b.close();
            v[s] = b.volume();
            vw[s] = b.vwap();
        }
        Instant end = minute.plusSeconds(60);
        boolean closes = sessionAt(minute).map(session -> session.close().equals(end)).orElse(false);
        return new CrossSection(minute, closes, symbols, o, h, l, c, v, vw);
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private int slotOf(Instant minute) {
        Optional<TradingSession> s = sessionAt(minute);
        if (s.isEmpty()) {
            return -1;
        }
        long step = stored.duration().getSeconds();
        long open = s.get().open().getEpochSecond();
        long start = open + (minute.getEpochSecond() - open) / step * step;
        return grid.indexOf(start);
    }

    /**
     * {@code symbol}'s bars of {@code timeframe} starting in [{@code from}, {@code to}] (both
     * inclusive, as Alpaca's {@code start} and {@code end}) that had ended by {@code now}, in time
     * order. Intraday bars aggregate the minute bars on the calendar's grid of that timeframe; daily
     * bars aggregate a session (starting at its open).
     */
    public List<Bar> bars(String symbol, Timeframe timeframe, Instant from, Instant to, Instant now) {
        Integer s = index.get(symbol);
        if (s == null) {
            return List.of();
        }
        BarGrid target = calendar.grid(timeframe);
        int first = target.ceilingIndex(from.getEpochSecond());
        List<Bar> out = new ArrayList<>();
        for (int k = first; k >= 0 && k < target.size() && !target.start(k).isAfter(to); k++) {
            Instant start = target.start(k);
            Instant end = timeframe.isIntraday() ? target.end(k) : target.sessionOf(k).close();
            if (end.isAfter(now)) {
                break; // not ended yet: never served
            }
            Bar agg = aggregate(s, symbol, start, end, timeframe);
            if (agg != null) {
                out.add(agg);
            }
        }
        return out;
    }

    private Bar aggregate(int s, String symbol, Instant start, Instant end, Timeframe timeframe) {
        List<Bar> parts = new ArrayList<>();
        // The stored bar holding start: the last one starting at or before it.
        int from = grid.ceilingIndex(start.getEpochSecond());
        if (from == grid.size() || grid.startEpochSecond(from) > start.getEpochSecond()) {
            from--;
        }
        if (from < 0) {
            return null;
        }
        boolean whole = timeframe.duration().getSeconds() % stored.duration().getSeconds() == 0 || !timeframe.isIntraday();
        for (int slot = from; slot < grid.size() && grid.start(slot).isBefore(end); slot++) {
            if (whole && !grid.end(slot).isAfter(end)) {
                if (bars[s][slot] != null) {
                    parts.add(bars[s][slot]);
                }
            } else {
                for (Bar m : minutesOf(s, slot)) {
                    if (!m.start().isBefore(start) && m.start().isBefore(end)) {
                        parts.add(m);
                    }
                }
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        double h = Double.NEGATIVE_INFINITY, l = Double.POSITIVE_INFINITY, v = 0, notional = 0;
        long n = 0;
        for (Bar p : parts) {
            h = Math.max(h, p.high());
            l = Math.min(l, p.low());
            v += p.volume();
            notional += p.volume() * p.vwap();
            n += p.tradeCount();
        }
        if (parts.size() == 1) {
            Bar p = parts.get(0);
            return new Bar(symbol, start, p.open(), p.high(), p.low(), p.close(), p.volume(), p.vwap(), p.tradeCount());
        }
        return new Bar(symbol, start, parts.get(0).open(), h, l, parts.get(parts.size() - 1).close(), v,
                v > 0 ? notional / v : Double.NaN, n);
    }

    /** The symbols in the order the bars API pages them: alphabetical, as Alpaca does. */
    public static List<String> pagingOrder(List<String> requested) {
        List<String> out = new ArrayList<>(requested);
        Collections.sort(out);
        return out;
    }
}
