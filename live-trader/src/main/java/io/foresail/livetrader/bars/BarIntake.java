package io.foresail.livetrader.bars;

import io.foresail.alpaca.rest.AlpacaCredentials;

import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;
import io.foresail.alpaca.rest.AlpacaBarsClient;
import io.foresail.livetrader.alpaca.AlpacaEndpoints;
import io.foresail.livetrader.alpaca.BarStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The live bars: Alpaca's minute bars aggregated onto the grid (15 minutes), one {@link Slot} per
 * grid bar, in order, each exactly once, holding what the bar store will hold. A slot is handed
 * over when a minute of a later slot arrives (or {@link #closeDue} says its time has passed).
 * Whenever minutes may have been missed (a reconnection, a jump in the minute sequence, a start in
 * the middle of a bar), the slots they touch are not aggregated but read back from the bars API
 * ({@code /v2/stocks/bars}), so a stall or a drop never leaves a wrong bar behind. A symbol with no
 * minutes in a slot is asked of the bars API before the slot is handed over (it stays absent only
 * when the API has no bar either: no trades, a halt). A minute that arrives for a slot already
 * handed over is late: counted, never folded in, and reported to the {@link #onLate} listener,
 * whose owner must treat the symbol's bar as wrong until it has re-read it. A repeated minute is
 * ignored and counted; a minute of a symbol outside the universe is ignored and counted. The
 * caller closes it (the stream).
 */
public final class BarIntake implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BarIntake.class);

    /** One grid bar's cross-section: each symbol's bar (absent: no trades), and whether it was read back over REST. */
    public record Slot(Instant start, Map<String, Bar> bars, boolean backfilled) {
    }

    /**
     * A bar handed over wrong or incomplete: a minute that came after it was handed over (the
     * minute's start, UTC), or a symbol that could not be read back over REST ({@code minute} null).
     */
    public record Late(String symbol, Instant barStart, Instant minute) {
    }

    private final MinuteAggregator aggregator;
    private final BarGrid grid;
    private final List<String> symbols;
    private final AlpacaBarsClient data;
    private final Consumer<Slot> slots;
    private final String feed;
    private final java.util.Set<String> universe;
    private final Map<Integer, Map<String, Bar>> pending = new HashMap<>();
    private Consumer<Late> lateListener = l -> { };
    private boolean resumed;
    private final TreeSet<Integer> tainted = new TreeSet<>();
    private BarStream stream;
    private Instant lastMinute;
    private int nextSlot = -1;
    private boolean everSubscribed;
    private boolean gapOpen;
    private long lateMinutes;
    private long backfilledSlots;
    private long backfilledSymbols;
    private long duplicateMinutes;
    private long unknownMinutes;
    private long gaps;
    private long silentReconnects;
    private Instant silenceHandled;
    private long lastMinuteNanos = System.nanoTime();

    /**
     * @param feed the data feed the bars API is read back from ({@code iex} or {@code sip}), the
     *             one the stream serves
     */
    public BarIntake(BarGrid grid, List<String> symbols, AlpacaBarsClient data, String feed, Consumer<Slot> slots) {
        this.aggregator = new MinuteAggregator(grid);
        this.grid = grid;
        this.symbols = List.copyOf(symbols);
        this.universe = java.util.Set.copyOf(symbols);
        this.data = data;
        this.slots = slots;
        this.feed = feed;
    }

    /** Where late minutes are reported (called on the stream's thread, inside the intake's lock: hand the work off). */
    public synchronized BarIntake onLate(Consumer<Late> listener) {
        this.lateListener = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Starts the hand-over at the bar starting {@code barStart} (the first bar the caller's history
     * does not hold): every bar from there to the first minute streamed is read back over REST, so
     * no bar between a warm-up and the live stream is skipped. Call before {@link #start}.
     */
    public synchronized BarIntake expectFrom(Instant barStart) {
        int i = grid.ceilingIndex(barStart.getEpochSecond());
        if (nextSlot >= 0) {
            throw new IllegalStateException("the intake is already handing over bars (next " + grid.start(nextSlot) + ")");
        }
        nextSlot = i;
        resumed = true;
        return this;
    }

    /** Connects the bar stream. */
    public BarIntake start(AlpacaEndpoints endpoints, AlpacaCredentials credentials, Duration connectionLimitWait) {
        stream = new BarStream(endpoints.marketData(), credentials, symbols, this::onMinute, this::onSubscribed,
                connectionLimitWait).start();
        return this;
    }

    public boolean subscribed() {
        return stream != null && stream.subscribed();
    }

    /** Late minutes, slots read back over REST, gaps detected, and the stream's reconnections. */
    public synchronized Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>(stream == null ? Map.of() : stream.counters());
        out.put("late_minutes", lateMinutes);
        out.put("duplicate_minutes", duplicateMinutes);
        out.put("unknown_symbol_minutes", unknownMinutes);
        out.put("backfilled_slots", backfilledSlots);
        out.put("backfilled_symbols", backfilledSymbols);
        out.put("gaps", gaps);
        out.put("silent_stream_reconnects", silentReconnects);
        return out;
    }

    private synchronized void onSubscribed() {
        if (everSubscribed) {
            gapOpen = true; // what happened while away is unknown until the next minute shows where we are
            gaps++;
        }
        everSubscribed = true;
    }

    /** Folds in one minute bar (called by the stream, in order of arrival). */
    public synchronized void onMinute(Bar m) {
        int slot = aggregator.slotOf(m.start());
        if (slot < 0) {
            return; // outside the session: not on the grid
        }
        if (!universe.contains(m.symbol())) {
            if (unknownMinutes++ == 0) {
                LOG.warn("bar intake: minute for {} at {}, which is not in the universe; ignored (counted)", m.symbol(), m.start());
            }
            return;
        }
        if (nextSlot < 0) {
            nextSlot = slot;
            if (!grid.start(slot).equals(m.start())) {
                tainted.add(slot); // started mid-bar: its earlier minutes were never seen
            }
        } else if (resumed) {
            for (int s = nextSlot; s < slot; s++) {
                tainted.add(s); // between the caller's history and the stream: never seen here
            }
            if (slot > nextSlot || !grid.start(slot).equals(m.start())) {
                tainted.add(slot);
            }
        }
        resumed = false;
        if (slot < nextSlot) {
            late(m, slot);
            return;
        }
        // Minutes skipped inside a session (a stall drops them silently); the night is no gap.
        boolean jump = lastMinute != null && m.start().isAfter(lastMinute.plusSeconds(60))
                && grid.sessionIndexOf(slot) == grid.sessionIndexOf(aggregator.slotOf(lastMinute));
        if (gapOpen || jump) {
            int from = lastMinute == null ? nextSlot : Math.max(nextSlot, aggregator.slotOf(lastMinute));
            for (int s = from; s <= slot; s++) {
                tainted.add(s);
            }
            if (jump && !gapOpen) {
                gaps++;
            }
            gapOpen = false;
        }
        MinuteAggregator.Outcome o = aggregator.add(m);
        if (o.duplicate()) {
            duplicateMinutes++;
            return;
        }
        if (o.late()) {
            if (slot >= nextSlot) {
                tainted.add(slot); // not handed over yet: read it back whole when it is
                lateMinutes++;
            } else {
                late(m, slot);
            }
            return;
        }
        if (o.closedBefore() != null) {
            keep(o.closedBefore());
        }
        if (o.completed() != null) {
            keep(o.completed());
        }
        if (lastMinute == null || m.start().isAfter(lastMinute)) {
            lastMinute = m.start();
        }
        lastMinuteNanos = System.nanoTime();
        while (nextSlot < slot) {
            handOver(nextSlot);
        }
        Map<String, Bar> current = pending.get(slot);
        if (current != null && current.size() == symbols.size()) {
            handOver(slot); // every symbol's bar is complete: no need to wait for the next minute
        }
    }

    private void late(Bar m, int slot) {
        lateMinutes++;
        LOG.warn("bar intake: late minute {} {} for the bar {} already handed over; not folded in, reported", m.symbol(),
                m.start(), grid.start(slot));
        lateListener.accept(new Late(m.symbol(), grid.start(slot), m.start()));
    }

    /**
     * Reconnects the bar stream when it is subscribed but, by the venue's clock, {@code silence}
     * of session time has passed since the last minute arrived (a connection that stays open and
     * sends nothing), and no minute has arrived for {@code wallSilence} of this machine's time
     * either (a venue clock running faster than the wall's, the simulator's, outruns delivery by
     * a few milliseconds without any stall). Once per silence; the bars it misses are read back
     * over REST as usual.
     */
    public synchronized boolean reconnectIfSilent(Instant now, Duration silence, Duration wallSilence) {
        if (stream == null || !stream.subscribed() || lastMinute == null || lastMinute.equals(silenceHandled)
                || System.nanoTime() - lastMinuteNanos < wallSilence.toNanos()) {
            return false;
        }
        Instant from = lastMinute.plusSeconds(60);
        Instant to = now.minusSeconds(60);
        if (Duration.between(from, to).compareTo(silence) < 0) {
            return false;
        }
        int a = aggregator.slotOf(from);
        int b = aggregator.slotOf(to);
        if (a < 0 || b < 0 || grid.sessionIndexOf(a) != grid.sessionIndexOf(b)) {
            return false; // the silence is not all in one session: the night, or the open, is no stall
        }
        silenceHandled = lastMinute;
        silentReconnects++;
        gapOpen = true; // what the silence swallowed is read back over REST
        LOG.warn("bar intake: no minute since {} though the venue's clock is at {}; reconnecting the bar stream",
                lastMinute, now);
        stream.reconnect("silent since " + lastMinute);
        return true;
    }

    /** Hands over every slot that ended at or before {@code now} (the trader's clock, less its grace period). */
    public synchronized void closeDue(Instant now) {
        while (nextSlot >= 0 && nextSlot < grid.size() && !grid.end(nextSlot).isAfter(now)) {
            handOver(nextSlot);
        }
    }

    private void keep(Bar b) {
        pending.computeIfAbsent(aggregator.slotOf(b.start()), k -> new HashMap<>()).put(b.symbol(), b);
    }

    private void handOver(int s) {
        for (Bar b : aggregator.closeUpTo(grid.end(s))) {
            keep(b);
        }
        Map<String, Bar> bars = pending.remove(s);
        bars = bars == null ? new HashMap<>() : new HashMap<>(bars);
        boolean backfill = tainted.remove(s);
        List<String> ask = new java.util.ArrayList<>();
        for (String symbol : symbols) {
            if (backfill || !bars.containsKey(symbol)) {
                ask.add(symbol);
            }
        }
        if (backfill) {
            bars.clear();
        }
        List<String> unverified = List.of();
        if (!ask.isEmpty()) {
            try {
                int found = readBack(ask, s, bars);
                if (backfill) {
                    backfilledSlots++;
                    LOG.info("bar intake: bar {} read back over REST (minutes may have been missed)", grid.start(s));
                } else {
                    backfilledSymbols += found;
                }
            } catch (RuntimeException e) {
                // The bars API did not answer: hand over what is known, and report the rest as
                // late so that the owner re-reads them before trusting the symbols again.
                unverified = ask;
                LOG.warn("bar intake: bar {}: {} symbol(s) could not be read back over REST ({}); handed over without "
                        + "them and reported late", grid.start(s), ask.size(), e.getMessage());
            }
            for (String symbol : ask) {
                aggregator.settle(symbol, s);
            }
        }
        nextSlot = s + 1;
        slots.accept(new Slot(grid.start(s), Map.copyOf(bars), backfill));
        for (String symbol : unverified) {
            lateListener.accept(new Late(symbol, grid.start(s), null));
        }
    }

    /** Reads the bar at slot {@code s} of each symbol over REST into {@code into}; returns how many there were. */
    private int readBack(List<String> which, int s, Map<String, Bar> into) {
        int[] found = {0};
        data.fetchAll(which, grid.timeframe(), grid.start(s), grid.start(s), feed, "raw").forEach((symbol, list) -> {
            for (Bar b : list) {
                if (b.start().equals(grid.start(s))) {
                    into.put(symbol, b);
                    found[0]++;
                }
            }
        });
        return found[0];
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
