package io.foresail.backtest.venue;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Clock;
import io.foresail.trading.broker.Account;
import io.foresail.trading.broker.Broker;
import io.foresail.trading.broker.BrokerException;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.broker.Order;
import io.foresail.trading.broker.OrderRequest;
import io.foresail.trading.broker.OrderStatus;
import io.foresail.trading.broker.OrderType;
import io.foresail.trading.broker.OrderUpdate;
import io.foresail.trading.broker.Position;
import io.foresail.trading.broker.Side;
import io.foresail.trading.broker.TimeInForce;
import io.foresail.trading.market.CrossSection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A simulated venue behind the {@link Broker} port, filling orders against the bars it is given
 * ({@link #trade}, one {@link CrossSection} at a time, from the replay's market data): the
 * backtest's broker, and later the engine of the Alpaca simulator.
 *
 * <p>An order accepted while bar {@code t} closes first trades in bar {@code t+1}: a market order at
 * that bar's open or VWAP, a limit order when the bar touches its price (at the open if the open is
 * already through it). Each fill takes at most the participation cap of the bar's volume; the rest
 * is carried to later bars or cancelled. A day order still open at the close of a session it
 * traded in expires. Costs per fill: half the spread, slippage and square-root market impact move
 * the price against the order; commission is charged as a fee. Short positions pay a borrow fee
 * on their market value at each session's close. Cash, positions and costs are kept in dollars.
 *
 * <p>Order ids are UUIDs made from a counter, so a replay gives the same ids every time.
 * Not thread-safe: the replay (or the simulator's event loop) drives it from one thread.
 */
public final class SimulatedVenue implements Broker {
    private final List<String> symbols;
    private final ExecutionConfig config;
    private final Clock clock;
    private final Map<String, Integer> index = new HashMap<>();
    private final double[] shares;
    private final double[] entryPrice;
    private final double[] mark;
    private final Map<String, Order> open = new LinkedHashMap<>();
    private final Map<String, Integer> eligibleFrom = new HashMap<>();
    private final Map<String, Order> byClientId = new HashMap<>();
    private final Map<String, Order> byId = new HashMap<>();
    private final java.util.Set<String> triggered = new java.util.HashSet<>();
    private final java.util.Set<String> halted = new java.util.HashSet<>();
    private final java.util.SplittableRandom partials;
    private boolean sessionOpening = true;
    private boolean ordersArriveMidBar;
    private int fillDelayBars;
    private double partialFillProbability;
    private final List<Consumer<OrderUpdate>> listeners = new ArrayList<>();
    private final Costs costs = new Costs();
    private double cash;
    private Instant currentBar;
    private int barsTraded;
    private long nextId;
    private long nextExecution;

    /** Costs paid so far, in dollars. */
    public static final class Costs {
        double commission;
        double spread;
        double slippage;
        double impact;
        double borrow;

        public double commission() {
            return commission;
        }

        public double spread() {
            return spread;
        }

        public double slippage() {
            return slippage;
        }

        public double impact() {
            return impact;
        }

        public double borrow() {
            return borrow;
        }

        public double total() {
            return commission + spread + slippage + impact + borrow;
        }
    }

    /** A venue trading {@code symbols} (the order of every per-symbol array it reads and reports). */
    public SimulatedVenue(List<String> symbols, ExecutionConfig config, Clock clock) {
        this.symbols = List.copyOf(symbols);
        this.config = config;
        this.clock = clock;
        int n = symbols.size();
        for (int i = 0; i < n; i++) {
            index.put(symbols.get(i), i);
        }
        this.shares = new double[n];
        this.entryPrice = new double[n];
        this.mark = new double[n];
        java.util.Arrays.fill(mark, Double.NaN);
        this.cash = config.startingCash();
        this.partials = new java.util.SplittableRandom(config.partialFills().seed());
        this.partialFillProbability = config.partialFills().probability();
    }

    @Override
    public Order submit(OrderRequest r) {
        Order seen = byClientId.get(r.clientOrderId());
        if (seen != null) {
            return open.getOrDefault(seen.id(), seen);
        }
        Integer i = index.get(r.symbol());
        Instant now = clock.now();
        String id = new UUID(0x5F0E_5A11_0000_4000L, 0x8000_0000_0000_0000L | nextId++).toString();
        Order order = new Order(id, r.clientOrderId(), r.symbol(), r.side(), r.quantity(), 0, Double.NaN, r.type(),
                r.limitPrice(), r.stopPrice(), r.timeInForce(), OrderStatus.NEW, now, now);
        String refusal = i == null ? "symbol " + r.symbol() + " is not traded here"
                : r.side() == Side.SELL && !config.shorting().allowed() && shares[i] - pendingSells(r.symbol()) < r.quantity() - 1e-9
                ? "short selling is not allowed: sell " + r.quantity() + " " + r.symbol() + " with "
                + (shares[i] - pendingSells(r.symbol())) + " available"
                : null;
        if (refusal != null) {
            Order rejected = order.with(OrderStatus.REJECTED, 0, Double.NaN, now);
            byClientId.put(r.clientOrderId(), rejected);
            byId.put(id, rejected);
            publish(new OrderUpdate(OrderUpdate.Kind.REJECTED, rejected, null));
            throw new BrokerException("order " + r.clientOrderId() + " rejected: " + refusal, 42210000, false);
        }
        open.put(id, order);
        byClientId.put(r.clientOrderId(), order);
        byId.put(id, order);
        eligibleFrom.put(id, barsTraded + (ordersArriveMidBar ? 1 : 0) + fillDelayBars);
        publish(new OrderUpdate(OrderUpdate.Kind.NEW, order, null));
        return order;
    }

    private double pendingSells(String symbol) {
        double q = 0;
        for (Order o : open.values()) {
            if (o.symbol().equals(symbol) && o.side() == Side.SELL) {
                q += o.remaining();
            }
        }
        return q;
    }

    @Override
    public Order cancel(String orderId) {
        Order o = open.remove(orderId);
        if (o == null) {
            Order done = byId.get(orderId);
            if (done == null) {
                throw new BrokerException("order " + orderId + " not found", 40410000, false);
            }
            return done;
        }
        Order canceled = o.with(OrderStatus.CANCELED, o.filledQuantity(), o.averageFillPrice(), clock.now());
        done(canceled);
        publish(new OrderUpdate(OrderUpdate.Kind.CANCELED, canceled, null));
        return canceled;
    }

    /**
     * Whether orders arrive while a bar is in progress (the simulator's minute clock) rather than
     * at a bar's close (the replay): then an order first trades in the bar after the one in
     * progress, whose open came after it, instead of in the next bar to be traded.
     */
    public void ordersArriveMidBar(boolean on) {
        ordersArriveMidBar = on;
    }

    @Override
    public Order replace(String orderId, double quantity, double limitPrice) {
        Order o = open.get(orderId);
        if (o == null) {
            throw new BrokerException("order " + orderId + " is not open and cannot be replaced", 42210000, false);
        }
        return replace(orderId, new OrderRequest(o.clientOrderId() + "-r" + nextId, o.symbol(), o.side(), quantity,
                o.type(), o.type().hasLimit() ? limitPrice : Double.NaN, o.stopPrice(), o.timeInForce()));
    }

    /**
     * Replaces an open order by {@code replacement} (same symbol and side; its quantity is the new
     * total, of which what already filled counts): the old order ends {@code REPLACED} and the new
     * one, with a new id, carries the rest.
     */
    public Order replace(String orderId, OrderRequest replacement) {
        Order o = open.get(orderId);
        if (o == null) {
            throw new BrokerException("order " + orderId + " is not open and cannot be replaced", 42210000, false);
        }
        if (!replacement.symbol().equals(o.symbol()) || replacement.side() != o.side()) {
            throw new BrokerException("a replacement keeps the symbol and side of order " + orderId, 42210000, false);
        }
        if (!(replacement.quantity() > o.filledQuantity())) {
            throw new BrokerException("replacement quantity " + replacement.quantity() + " must exceed the filled "
                    + o.filledQuantity(), 42210000, false);
        }
        if (byClientId.containsKey(replacement.clientOrderId())) {
            throw new BrokerException("client_order_id must be unique", 42210000, false);
        }
        open.remove(orderId);
        Order replaced = o.with(OrderStatus.REPLACED, o.filledQuantity(), o.averageFillPrice(), clock.now());
        done(replaced);
        publish(new OrderUpdate(OrderUpdate.Kind.REPLACED, replaced, null));
        return submit(new OrderRequest(replacement.clientOrderId(), o.symbol(), o.side(),
                replacement.quantity() - o.filledQuantity(), replacement.type(), replacement.limitPrice(),
                replacement.stopPrice(), replacement.timeInForce()));
    }

    /** Delays every order submitted from now on by {@code bars} more bars before it may fill (the simulator's delayed-fills fault). */
    public void delayFills(int bars) {
        if (bars < 0) {
            throw new IllegalArgumentException("a fill delay is 0 or more bars, got " + bars);
        }
        fillDelayBars = bars;
    }

    /** Overrides the configured share of executions that fill only in part (the simulator's partial-fills fault). */
    public void partialFillProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a probability is in [0, 1], got " + p);
        }
        partialFillProbability = p;
    }

    /**
     * Rejects an open order after accepting it, as a venue may (the simulator's rejected-order
     * fault): it ends {@code REJECTED} with what it filled, and listeners hear of it.
     */
    public Order reject(String orderId) {
        Order o = open.remove(orderId);
        if (o == null) {
            throw new BrokerException("order " + orderId + " is not open and cannot be rejected", 42210000, false);
        }
        Order rejected = o.with(OrderStatus.REJECTED, o.filledQuantity(), o.averageFillPrice(), clock.now());
        done(rejected);
        publish(new OrderUpdate(OrderUpdate.Kind.REJECTED, rejected, null));
        return rejected;
    }

    /** The latest close of {@code symbol} the venue has seen, dollars; NaN before its first bar or for an unknown symbol. */
    public double lastPrice(String symbol) {
        Integer i = index.get(symbol);
        return i == null ? Double.NaN : mark[i];
    }

    /** Whether {@code symbol} is traded here. */
    public boolean trades(String symbol) {
        return index.containsKey(symbol);
    }

    /** The order with this venue id as it stands now (open or done), or null if the venue never had it. */
    public Order order(String orderId) {
        Order o = open.get(orderId);
        return o != null ? o : byId.get(orderId);
    }

    /** The order with this client order id as it stands now, or null if the venue never had it. */
    public Order orderByClientId(String clientOrderId) {
        Order o = byClientId.get(clientOrderId);
        return o == null ? null : order(o.id());
    }

    /**
     * Halts or resumes trading in {@code symbol}: while halted its open orders do not fill (they
     * still expire at the session's close), as on an exchange's trading halt.
     */
    public void halt(String symbol, boolean on) {
        if (on) {
            halted.add(symbol);
        } else {
            halted.remove(symbol);
        }
    }

    private void done(Order o) {
        byClientId.put(o.clientOrderId(), o);
        byId.put(o.id(), o);
        eligibleFrom.remove(o.id());
        triggered.remove(o.id());
    }

    @Override
    public List<Order> openOrders() {
        return List.copyOf(open.values());
    }

    @Override
    public List<Position> positions() {
        List<Position> out = new ArrayList<>();
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] != 0) {
                out.add(new Position(symbols.get(i), shares[i], entryPrice[i]));
            }
        }
        return out;
    }

    @Override
    public Account account() {
        double e = equity();
        return new Account(cash, e, Math.max(0, e * 2 - grossValue()), false);
    }

    @Override
    public void onUpdate(Consumer<OrderUpdate> listener) {
        listeners.add(listener);
    }

    private void publish(OrderUpdate u) {
        for (Consumer<OrderUpdate> l : listeners) {
            l.accept(u);
        }
    }

    /**
     * Trades one bar: fills what the open orders can take from it, in the order they were
     * submitted (an order trades from the first bar after its submission); then, if the bar closes
     * its session, expires day orders that traded in it and charges the borrow fee; finally marks
     * positions to the bar's closes. Bars must come in time order, in this venue's symbol order.
     */
    public void trade(CrossSection bar) {
        if (currentBar != null && !bar.start().isAfter(currentBar)) {
            throw new InvalidInputException("venue: bar " + bar.start() + " after bar " + currentBar);
        }
        if (!bar.symbols().equals(symbols)) {
            throw new InvalidInputException("venue: a bar of " + bar.symbols().size() + " symbols for a venue of "
                    + symbols.size() + " (or in another order)");
        }
        currentBar = bar.start();
        int t = barsTraded++;
        boolean lastOfSession = bar.sessionClose();
        boolean firstOfSession = sessionOpening;
        sessionOpening = lastOfSession;
        Instant now = clock.now();
        Iterator<Map.Entry<String, Order>> it = open.entrySet().iterator();
        List<OrderUpdate> updates = new ArrayList<>();
        while (it.hasNext()) {
            Order o = it.next().getValue();
            if (eligibleFrom.get(o.id()) > t) {
                continue;
            }
            TimeInForce tif = o.timeInForce();
            boolean auction = tif == TimeInForce.OPG ? firstOfSession : tif == TimeInForce.CLS ? lastOfSession : true;
            int i = index.get(o.symbol());
            Order after = auction && !halted.contains(o.symbol()) ? fill(o, i, bar, now, updates) : o;
            if (after.status().isOpen()) {
                // An auction order not filled in its auction, and IOC/FOK after their one bar, are cancelled.
                boolean once = tif == TimeInForce.IOC || tif == TimeInForce.FOK || (auction && (tif == TimeInForce.OPG
                        || tif == TimeInForce.CLS));
                boolean expires = lastOfSession && tif == TimeInForce.DAY;
                if (once || !config.carryRemainder() && after.filledQuantity() > 0 || expires) {
                    boolean expired = expires && !once && config.carryRemainder();
                    Order ended = after.with(expired ? OrderStatus.EXPIRED : OrderStatus.CANCELED,
                            after.filledQuantity(), after.averageFillPrice(), now);
                    it.remove();
                    done(ended);
                    updates.add(new OrderUpdate(expired ? OrderUpdate.Kind.EXPIRED : OrderUpdate.Kind.CANCELED, ended, null));
                    continue;
                }
                open.put(o.id(), after);
                byId.put(o.id(), after);
            } else {
                it.remove();
                done(after);
            }
        }
        for (OrderUpdate u : updates) {
            publish(u);
        }
        for (int i = 0; i < shares.length; i++) {
            double c = bar.close()[i];
            if (!Double.isNaN(c)) {
                mark[i] = c;
            }
        }
        if (lastOfSession) {
            double fee = config.shorting().borrowBpsPerYear() * 1e-4 / 252;
            for (int i = 0; i < shares.length; i++) {
                if (shares[i] < 0 && !Double.isNaN(mark[i])) {
                    double b = -shares[i] * mark[i] * fee;
                    cash -= b;
                    costs.borrow += b;
                }
            }
        }
    }

    private Order fill(Order o, int i, CrossSection bar, Instant now, List<OrderUpdate> updates) {
        double open = bar.open()[i];
        double volume = bar.volume()[i];
        if (Double.isNaN(open) || !(volume > 0)) {
            return o; // no trading in this name this bar
        }
        boolean buy = o.side() == Side.BUY;
        double base;
        if (o.timeInForce() == TimeInForce.CLS) {
            base = bar.close()[i]; // the closing auction
        } else if (o.timeInForce() == TimeInForce.OPG || o.type() == OrderType.MARKET) {
            double vwap = bar.vwap()[i];
            base = o.timeInForce() != TimeInForce.OPG && config.fillPrice() == ExecutionConfig.FillPrice.NEXT_VWAP
                    && !Double.isNaN(vwap) ? vwap : open;
        } else {
            base = open;
        }
        if (o.type().hasStop() && !triggered.contains(o.id())) {
            // A buy stop triggers when the bar trades at or above it, a sell stop at or below; a gap
            // through the stop triggers at the open.
            if (buy ? bar.high()[i] < o.stopPrice() : bar.low()[i] > o.stopPrice()) {
                return o;
            }
            triggered.add(o.id());
            base = buy ? Math.max(open, o.stopPrice()) : Math.min(open, o.stopPrice());
        }
        boolean auction = o.timeInForce() == TimeInForce.OPG || o.timeInForce() == TimeInForce.CLS;
        if (o.type().hasLimit()) {
            // An auction fills at its one price; in continuous trading the bar must touch the limit.
            double best = auction ? base : buy ? bar.low()[i] : bar.high()[i];
            if (buy ? best > o.limitPrice() : best < o.limitPrice()) {
                return o;
            }
            base = buy ? Math.min(base, o.limitPrice()) : Math.max(base, o.limitPrice());
        }
        double remaining = o.quantity() - o.filledQuantity();
        // Auctions cross the whole order; continuous trading takes at most the participation cap.
        double cap = auction ? remaining : config.participationCap() * volume;
        double q = Math.min(remaining, cap);
        boolean whole = remaining == Math.rint(remaining);
        if (q < remaining && whole) {
            q = Math.floor(q); // a whole-share order fills in whole shares
        }
        if (o.timeInForce() == TimeInForce.FOK && q < remaining) {
            return o; // all or nothing: the caller cancels it
        }
        if (!auction && o.timeInForce() != TimeInForce.FOK && q > 0 && partialFillProbability > 0
                && partials.nextDouble() < partialFillProbability) {
            // Like Alpaca paper: now and then an execution takes only part of what it could.
            double part = q * (0.1 + 0.8 * partials.nextDouble());
            q = whole ? Math.max(1, Math.floor(part)) : Math.rint(part * 1e9) / 1e9;
        }
        if (q <= 0) {
            return o;
        }
        int sign = o.side().sign();
        double spread = config.halfSpreadBps() * 1e-4;
        double slip = config.slippageBps() * 1e-4;
        double impact = config.impactBps() * 1e-4 * Math.sqrt(q / volume);
        double price = base * (1 + sign * (spread + slip + impact));
        double fee = config.commission().of(q, price);
        costs.spread += q * base * spread;
        costs.slippage += q * base * slip;
        costs.impact += q * base * impact;
        costs.commission += fee;
        cash -= sign * q * price + fee;
        double before = shares[i];
        double after = before + sign * q;
        if (before == 0 || Math.signum(before) == sign) {
            entryPrice[i] = (entryPrice[i] * Math.abs(before) + price * q) / Math.abs(after);
        } else if (Math.signum(after) == sign) {
            entryPrice[i] = price; // went through zero: the new side's entry is this fill
        } else if (after == 0) {
            entryPrice[i] = 0;
        }
        shares[i] = Math.abs(after) < 1e-9 ? 0 : after;
        double filled = o.filledQuantity() + q;
        double avg = o.filledQuantity() == 0 ? price
                : (o.averageFillPrice() * o.filledQuantity() + price * q) / filled;
        boolean complete = filled >= o.quantity() - 1e-9;
        Order updated = o.with(complete ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED, complete ? o.quantity() : filled,
                avg, now);
        Fill f = new Fill(new UUID(0x5F0E_5A11_0000_4000L, 0xC000_0000_0000_0000L | nextExecution++).toString(), o.id(),
                o.clientOrderId(), o.symbol(), o.side(), q, price, fee, now);
        updates.add(new OrderUpdate(complete ? OrderUpdate.Kind.FILL : OrderUpdate.Kind.PARTIAL_FILL, updated, f));
        return updated;
    }

    /** Cash plus positions at their latest closes, dollars. */
    public double equity() {
        double e = cash;
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] != 0) {
                e += shares[i] * mark[i];
            }
        }
        return e;
    }

    /** Sum of |position value|, dollars. */
    public double grossValue() {
        double g = 0;
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] != 0) {
                g += Math.abs(shares[i] * mark[i]);
            }
        }
        return g;
    }

    /** Sum of position values, dollars (negative when net short). */
    public double netValue() {
        double g = 0;
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] != 0) {
                g += shares[i] * mark[i];
            }
        }
        return g;
    }

    public double cash() {
        return cash;
    }

    /** Shares held per symbol, in the venue's symbol order (a live view: do not write). */
    public double[] shares() {
        return shares;
    }

    /** Writes the signed open quantity per symbol into {@code out}. */
    public void pending(double[] out) {
        java.util.Arrays.fill(out, 0);
        for (Order o : open.values()) {
            out[index.get(o.symbol())] += o.signedRemaining();
        }
    }

    public Costs costs() {
        return costs;
    }
}
