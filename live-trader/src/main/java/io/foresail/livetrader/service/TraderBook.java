package io.foresail.livetrader.service;

import io.foresail.core.market.Bar;
import io.foresail.livetrader.state.TraderState;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.broker.Order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The trader's own book of its account: the shares held per symbol, the cash, and its orders not
 * yet settled, kept from the fills it records and the order reports it receives (trade updates,
 * submissions' and cancels' answers). A bar decides from this book, so no decision waits for a
 * broker round trip; the broker's REST state sets the cash and checks the book (reconciliation),
 * and is read on a bar's path only when an order has to be cancelled or the cash is not known.
 *
 * <p>An order is <em>settled</em> once it has ended (filled, cancelled, expired, replaced,
 * rejected) and the fills recorded for it come to the quantity it reports filled. Until then its
 * symbol's position is not known for sure, and the trader does not trade the symbol.
 *
 * <p>Positions are the state's recorded fills' plus any difference adopted on a resume, read from
 * the state (which keeps them in memory), never kept twice: a fill is recorded in the state and
 * applied to the cash and its order here in one step ({@link #recordFill}), under this book's lock,
 * so a view never has a fill in one and not the other. Cash is the broker's as last read while the book was quiet (nothing unsettled, no
 * report between the read's start and its end), moved by every fill since (its notional and fees);
 * what the fills do not carry (borrow fees, dividends, interest) comes in at the next such read.
 * Dollars and signed shares (short negative). Thread-safe: the broker's event thread, the request
 * pool, the reconciler and the bar thread share it.
 */
final class TraderBook {
    private static final double EPSILON = 1e-9;
    /** Ended orders remembered (about 200 bars of orders), so that a late report of one never opens it again. */
    private static final int ENDED_KEPT = 2_000;

    private final TraderState state;
    private final Map<String, Double> adopted = new TreeMap<>();
    private final Map<String, Double> marks = new HashMap<>();
    private final Map<String, Tracked> unsettled = new LinkedHashMap<>();
    private final Set<String> ended = Collections.newSetFromMap(new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ENDED_KEPT;
        }
    });
    private double cash = Double.NaN;
    private long reports;

    /** What a bar decides from, at one moment. */
    record View(double cash, double equity, Map<String, Double> positions, List<Order> open, List<String> unanswered,
                Set<String> unsettled) {
        /** Whether the cash has been read from the broker (a decision needs it). */
        boolean cashKnown() {
            return !Double.isNaN(cash);
        }
    }

    private static final class Tracked {
        final String symbol;
        Order order;
        double applied;

        Tracked(String symbol, double applied) {
            this.symbol = symbol;
            this.applied = applied;
        }

        boolean settled() {
            return order != null && !order.status().isOpen() && order.filledQuantity() <= applied + EPSILON;
        }
    }

    /** A book over {@code state}, its positions those of the fills recorded there; cash not yet known. */
    TraderBook(TraderState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    /**
     * Records a fill in the state and, if it is new there (not a repeat of an execution already
     * recorded), applies it: position, cash, its order's filled shares. Whether it was new.
     */
    synchronized boolean recordFill(Fill f) {
        if (!state.recordFill(f)) {
            return false;
        }
        cash -= f.notional() + f.fees();
        marks.putIfAbsent(f.symbol(), f.price());
        Tracked t = unsettled.get(f.clientOrderId());
        if (t != null) {
            t.applied += f.quantity();
            settleIfDone(f.clientOrderId(), t);
        } else if (!ended.contains(f.clientOrderId())) {
            track(f.clientOrderId(), f.symbol()); // its recorded fills, this one among them
        }
        changed();
        return true;
    }

    /** Takes an order's report: the later of two reports wins, and an ended order never opens again. */
    synchronized void order(Order o) {
        String id = o.clientOrderId();
        if (ended.contains(id)) {
            return;
        }
        Tracked t = unsettled.get(id);
        if (t == null) {
            t = track(id, o.symbol());
        }
        t.order = later(t.order, o);
        settleIfDone(id, t);
        changed();
    }

    private void settleIfDone(String clientOrderId, Tracked t) {
        if (t.settled()) {
            unsettled.remove(clientOrderId);
            ended.add(clientOrderId);
        }
    }

    /** Each symbol's mark: the bars' closes (dollars), what equity is counted at. */
    synchronized void mark(Map<String, Bar> bars) {
        bars.forEach((symbol, b) -> marks.put(symbol, b.close()));
    }

    /** A mark for a symbol held without a bar yet (a position the trader does not trade): its entry price. */
    synchronized void markIfUnknown(String symbol, double price) {
        if (price > 0) {
            marks.putIfAbsent(symbol, price);
        }
    }

    /** Symbols held with no mark yet (no bar, no fill, no entry price): the book's equity cannot be counted. */
    synchronized Set<String> unpriced() {
        Set<String> out = new TreeSet<>(positions().keySet());
        out.removeAll(marks.keySet());
        return out;
    }

    synchronized View view() {
        Map<String, Double> positions = positions();
        double equity = cash;
        for (Map.Entry<String, Double> p : positions.entrySet()) {
            equity += p.getValue() * marks.getOrDefault(p.getKey(), Double.NaN);
        }
        List<Order> open = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        Set<String> symbols = new TreeSet<>();
        unsettled.forEach((id, t) -> {
            symbols.add(t.symbol);
            if (t.order == null) {
                unanswered.add(id);
            } else if (t.order.status().isOpen()) {
                open.add(t.order);
            }
        });
        return new View(cash, equity, positions, open, unanswered, symbols);
    }

    /**
     * An order sent whose answer never came (nor was it found by its id): unsettled, its symbol not
     * traded, until a report of it comes or the trader finds it was never placed ({@link #forget}).
     */
    synchronized void expect(String clientOrderId, String symbol) {
        if (!ended.contains(clientOrderId) && !unsettled.containsKey(clientOrderId)) {
            track(clientOrderId, symbol);
            changed();
        }
    }

    /** An order {@link #expect expected} that the broker does not have: never placed. */
    synchronized void forget(String clientOrderId) {
        Tracked t = unsettled.get(clientOrderId);
        if (t != null && t.order == null) {
            unsettled.remove(clientOrderId);
            changed();
        }
    }

    /**
     * Waits up to {@code patience} for every order to settle; the symbols of those that did not
     * (empty: all settled).
     */
    synchronized Set<String> awaitSettled(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!unsettled.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        Set<String> symbols = new TreeSet<>();
        unsettled.values().forEach(t -> symbols.add(t.symbol));
        return symbols;
    }

    /** Reports and fills taken so far: a read of the broker between two equal counts saw no change here. */
    synchronized long reports() {
        return reports;
    }

    /**
     * Sets the cash to the broker's, read after {@code reportsBefore} reports, if the book was quiet
     * throughout (nothing unsettled, no report since); the change (NaN when the cash was not known),
     * or empty if the book was not quiet and the cash was left as it was.
     */
    synchronized OptionalDouble rebaseCash(double brokerCash, long reportsBefore) {
        if (reports != reportsBefore || !unsettled.isEmpty()) {
            return OptionalDouble.empty();
        }
        double before = cash;
        cash = brokerCash;
        return OptionalDouble.of(brokerCash - before);
    }

    /** Takes differences the operator adopted on a resume: positions become the fills' plus these. */
    synchronized void adopt(Map<String, Double> differences) {
        adopted.clear();
        adopted.putAll(differences);
        changed();
    }

    /**
     * The shares per symbol of the state's recorded fills plus the differences adopted on a resume
     * (symbols at zero left out): what the broker's positions must be.
     */
    synchronized Map<String, Double> positions() {
        Map<String, Double> out = new TreeMap<>(state.positionsFromFills());
        adopted.forEach((symbol, q) -> out.merge(symbol, q, Double::sum));
        out.values().removeIf(q -> Math.abs(q) <= EPSILON);
        return out;
    }

    /**
     * The symbols whose shares differ between two sets of positions (by more than a millionth of a
     * share), each with both quantities, named: e.g. {@code AAA -> "fills 10.0, broker 0.0"}.
     */
    static Map<String, String> differences(String leftName, Map<String, Double> left, String rightName,
                                           Map<String, Double> right) {
        Set<String> names = new TreeSet<>(left.keySet());
        names.addAll(right.keySet());
        Map<String, String> out = new TreeMap<>();
        for (String s : names) {
            double a = left.getOrDefault(s, 0.0);
            double b = right.getOrDefault(s, 0.0);
            if (Math.abs(a - b) > 1e-6) {
                out.put(s, leftName + " " + a + ", " + rightName + " " + b);
            }
        }
        return out;
    }

    /** Starts following an order: its fills recorded so far (a restart, a report that came first) counted. */
    private Tracked track(String clientOrderId, String symbol) {
        Tracked t = new Tracked(symbol, state.filledQuantity(clientOrderId));
        unsettled.put(clientOrderId, t);
        return t;
    }

    private void changed() {
        reports++;
        notifyAll();
    }

    /** Of two reports of one order, the later: more shares filled, and an ended order never open again. */
    private static Order later(Order known, Order report) {
        if (known == null) {
            return report;
        }
        if (report.filledQuantity() < known.filledQuantity() - EPSILON
                || !known.status().isOpen() && report.status().isOpen()) {
            return known;
        }
        return report;
    }
}
