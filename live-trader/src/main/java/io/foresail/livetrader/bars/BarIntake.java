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
 * ({@code /v2/stocks/bars}), so a stall or a drop never leaves a wrong bar behind. A minute that
 * arrives for a slot already handed over is counted as late and never folded in silently. The
 * caller closes it (the stream).
 */
public final class BarIntake implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BarIntake.class);

    /** One grid bar's cross-section: each symbol's bar (absent: no trades), and whether it was read back over REST. */
    public record Slot(Instant start, Map<String, Bar> bars, boolean backfilled) {
    }

    private final MinuteAggregator aggregator;
    private final BarGrid grid;
    private final List<String> symbols;
    private final AlpacaBarsClient data;
    private final Consumer<Slot> slots;
    private final String feed;
    private final Map<Integer, Map<String, Bar>> pending = new HashMap<>();
    private final TreeSet<Integer> tainted = new TreeSet<>();
    private BarStream stream;
    private Instant lastMinute;
    private int nextSlot = -1;
    private boolean everSubscribed;
    private boolean gapOpen;
    private long lateMinutes;
    private long backfilledSlots;
    private long gaps;

    /**
     * @param feed the data feed the bars API is read back from ({@code iex} or {@code sip}), the
     *             one the stream serves
     */
    public BarIntake(BarGrid grid, List<String> symbols, AlpacaBarsClient data, String feed, Consumer<Slot> slots) {
        this.aggregator = new MinuteAggregator(grid);
        this.grid = grid;
        this.symbols = List.copyOf(symbols);
        this.data = data;
        this.slots = slots;
        this.feed = feed;
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
        out.put("backfilled_slots", backfilledSlots);
        out.put("gaps", gaps);
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
        if (nextSlot < 0) {
            nextSlot = slot;
            if (!grid.start(slot).equals(m.start())) {
                tainted.add(slot); // started mid-bar: its earlier minutes were never seen
            }
        }
        if (slot < nextSlot) {
            lateMinutes++;
            LOG.warn("bar intake: late minute {} {} for a bar already handed over; not folded in", m.symbol(), m.start());
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
        if (o.late()) {
            lateMinutes++;
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
        while (nextSlot < slot) {
            handOver(nextSlot);
        }
        Map<String, Bar> current = pending.get(slot);
        if (current != null && current.size() == symbols.size()) {
            handOver(slot); // every symbol's bar is complete: no need to wait for the next minute
        }
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
        boolean backfill = tainted.remove(s);
        if (backfill) {
            Map<String, Bar> rest = new LinkedHashMap<>();
            data.fetchAll(symbols, grid.timeframe(), grid.start(s), grid.start(s), feed, "raw").forEach((symbol, list) -> {
                for (Bar b : list) {
                    if (b.start().equals(grid.start(s))) {
                        rest.put(symbol, b);
                    }
                }
            });
            for (String symbol : symbols) {
                aggregator.settle(symbol, s);
            }
            bars = rest;
            backfilledSlots++;
            LOG.info("bar intake: bar {} read back over REST (minutes may have been missed)", grid.start(s));
        }
        nextSlot = s + 1;
        slots.accept(new Slot(grid.start(s), bars == null ? Map.of() : Map.copyOf(bars), backfill));
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
