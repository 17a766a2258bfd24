package io.foresail.alpacasim.paper;

import io.foresail.alpaca.wire.AlpacaAccount;
import io.foresail.alpaca.wire.AlpacaOrder;
import io.foresail.alpaca.wire.AlpacaOrderStatus;
import io.foresail.alpaca.wire.AlpacaOrderType;
import io.foresail.alpaca.wire.AlpacaPosition;
import io.foresail.alpaca.wire.AlpacaSide;
import io.foresail.alpaca.wire.AlpacaTimeInForce;
import io.foresail.alpaca.wire.CreateOrder;
import io.foresail.alpaca.wire.FillActivity;
import io.foresail.alpaca.wire.OrderCancelStatus;
import io.foresail.alpaca.wire.PositionCloseStatus;
import io.foresail.alpaca.wire.ReplaceOrder;
import io.foresail.alpaca.wire.TradeUpdate;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.backtest.venue.SimulatedVenue;
import io.foresail.core.market.Clock;
import io.foresail.trading.broker.BrokerException;
import io.foresail.trading.broker.Order;
import io.foresail.trading.broker.OrderRequest;
import io.foresail.trading.broker.OrderStatus;
import io.foresail.trading.broker.OrderType;
import io.foresail.trading.broker.OrderUpdate;
import io.foresail.trading.broker.Side;
import io.foresail.trading.broker.TimeInForce;
import io.foresail.trading.market.CrossSection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One Alpaca paper account on the simulated venue: Alpaca's order rules in front of the backtest's
 * fill engine ({@link SimulatedVenue}), and Alpaca's views (orders, positions, account,
 * activities, trade updates) behind it. Paper rules: starting cash (default $100,000), buying
 * power of twice the equity less what is held and on order, {@code client_order_id} unique for
 * ever, fractional and notional orders market/day only, extended hours limit only.
 *
 * <p>Every method takes the account's lock, so the HTTP threads and the minute clock see one
 * consistent book. Trade updates reach listeners in the order they happened, under the lock.
 */
public final class PaperAccount {
    private static final Logger LOG = LoggerFactory.getLogger(PaperAccount.class);
    static final String ACCOUNT_ID = "5f0e5a11-0000-4000-8000-00000000acc7";

    private final SimulatedVenue venue;
    private final Clock clock;
    private final Ledger ledger;
    private final java.util.function.Predicate<Instant> inSession;
    private final Map<String, View> views = new HashMap<>();
    private final Map<String, String> clientIds = new HashMap<>();
    private final List<Consumer<TradeUpdate>> listeners = new CopyOnWriteArrayList<>();
    private final double startingCash;
    private double lastEquity;
    // What open orders hold, kept by delta on every venue event so a submission costs O(symbols),
    // not O(open orders): each open order's counted remainder, buys at a limit in dollars, other
    // buys and all sells in shares per symbol.
    private final Map<String, double[]> counted = new HashMap<>();
    private double openBuyLimitDollars;
    private int rejectNext;
    private final Map<String, Double> openBuyShares = new HashMap<>();
    private final Map<String, Double> openSellShares = new HashMap<>();

    /** Alpaca's fields the venue does not keep. */
    private static final class View {
        BigDecimal notional;
        boolean extendedHours;
        Instant createdAt;
        Instant filledAt;
        Instant canceledAt;
        Instant expiredAt;
        Instant replacedAt;
        Instant failedAt;
        String replacedBy;
        String replaces;
        AlpacaOrderType type;
    }

    /**
     * @param inSession whether regular trading is on at a time: an order placed then first trades in
     *                  the minute after the one in progress; one placed outside waits for the next
     *                  session's first minute, as Alpaca queues it for the open
     */
    public PaperAccount(List<String> symbols, ExecutionConfig execution, Clock clock, Ledger ledger,
                        java.util.function.Predicate<Instant> inSession) {
        this.venue = new SimulatedVenue(symbols, execution, clock);
        this.inSession = inSession;
        this.clock = clock;
        this.ledger = ledger;
        this.startingCash = execution.startingCash();
        this.lastEquity = startingCash;
        venue.onUpdate(this::onVenueUpdate);
    }

    /** Registers a listener for trade updates (called under the account's lock: keep it quick). */
    public void onTradeUpdate(Consumer<TradeUpdate> listener) {
        listeners.add(listener);
    }

    public void removeTradeUpdateListener(Consumer<TradeUpdate> listener) {
        listeners.remove(listener);
    }

    public Ledger ledger() {
        return ledger;
    }

    /** Trades one minute on the venue (fills, expiries at the close) and records the session's equity at its close. */
    public synchronized void trade(CrossSection minute) {
        venue.trade(minute);
        if (minute.sessionClose()) {
            lastEquity = venue.equity();
        }
    }

    /** Faults: orders from now on wait {@code minutes} more minutes before they can fill. */
    public synchronized void delayFills(int minutes) {
        venue.delayFills(minutes);
    }

    /** Faults: the share of executions that fill only in part, from now on. */
    public synchronized void partialFills(double probability) {
        venue.partialFillProbability(probability);
    }

    /** Faults: the next {@code count} orders are accepted, then rejected (a {@code rejected} trade update follows). */
    public synchronized void rejectNext(int count) {
        rejectNext = count;
    }

    /** Halts or resumes a symbol: its orders rest unfilled while halted. */
    public synchronized void halt(String symbol, boolean on) {
        venue.halt(symbol, on);
    }

    // ---- orders -------------------------------------------------------------------------------

    /** {@code POST /v2/orders}. */
    public synchronized AlpacaOrder submit(CreateOrder r) {
        Checked c = check(r);
        String clientId = r.clientOrderId() != null ? r.clientOrderId() : UUID.randomUUID().toString();
        if (clientIds.containsKey(clientId)) {
            throw ApiException.unprocessable("client_order_id must be unique");
        }
        double price = venue.lastPrice(r.symbol());
        double qty;
        if (r.notional() != null) {
            if (Double.isNaN(price)) {
                throw ApiException.unprocessable("no price yet for " + r.symbol() + " to size a notional order");
            }
            qty = r.notional().divide(BigDecimal.valueOf(price), 9, RoundingMode.DOWN).doubleValue();
        } else {
            qty = r.qty().doubleValue();
        }
        if (r.side() == AlpacaSide.BUY) {
            double reference = c.type.hasLimit() ? r.limitPrice().doubleValue() : c.type.hasStop()
                    ? Math.max(r.stopPrice().doubleValue(), Double.isNaN(price) ? 0 : price) : price;
            double cost = Double.isNaN(reference) ? 0 : qty * reference;
            if (cost > buyingPower() + 1e-9) {
                throw ApiException.forbidden("insufficient buying power");
            }
        } else {
            double held = position(r.symbol());
            double available = held - pendingSells(r.symbol());
            if (held > 0 || pendingSells(r.symbol()) > 0) {
                // Alpaca: a sell may not take a long position through zero in one order.
                if (qty > available + 1e-9) {
                    throw ApiException.forbidden("insufficient qty available for order (requested: " + plain(qty)
                            + ", available: " + plain(Math.max(0, available)) + ")");
                }
            } else if (qty != Math.rint(qty)) {
                throw ApiException.forbidden("fractional orders cannot be sold short");
            }
        }
        View v = new View();
        v.notional = r.notional();
        v.extendedHours = Boolean.TRUE.equals(r.extendedHours());
        v.createdAt = clock.now();
        v.type = r.type();
        OrderRequest request = new OrderRequest(clientId, r.symbol(), r.side() == AlpacaSide.BUY ? Side.BUY : Side.SELL,
                qty, c.type, r.limitPrice() == null ? Double.NaN : r.limitPrice().doubleValue(),
                r.stopPrice() == null ? Double.NaN : r.stopPrice().doubleValue(), c.tif);
        pendingView = v;
        venue.ordersArriveMidBar(inSession.test(clock.now()));
        try {
            Order o = venue.submit(request);
            clientIds.put(clientId, o.id());
            LOG.debug("order {} {} {} {} accepted as {}", clientId, r.side(), plain(qty), r.symbol(), o.id());
            AlpacaOrder accepted = ledger.orders().get(o.id());
            if (rejectNext > 0 && o.status().isOpen()) {
                rejectNext--;
                ledger.fault("rejected_order");
                venue.reject(o.id()); // accepted first, as the answer says; the rejection follows as an event
            }
            return accepted;
        } catch (BrokerException e) {
            throw new ApiException(e.code(), e.getMessage());
        } finally {
            pendingView = null;
        }
    }

    /** The view of an order being submitted, attached when the venue announces it. */
    private View pendingView;

    private record Checked(OrderType type, TimeInForce tif) {
    }

    /** Alpaca's validation, in its order and with its messages. */
    private Checked check(CreateOrder r) {
        if (r.symbol() == null || r.symbol().isBlank()) {
            throw ApiException.unprocessable("symbol is required");
        }
        if (r.side() == null) {
            throw ApiException.unprocessable("side is required");
        }
        if (r.type() == null) {
            throw ApiException.unprocessable("type is required");
        }
        if (r.timeInForce() == null) {
            throw ApiException.unprocessable("time_in_force is required");
        }
        if (r.qty() != null && r.notional() != null) {
            throw ApiException.unprocessable("only one of qty or notional can be specified");
        }
        if (r.qty() == null && r.notional() == null) {
            throw ApiException.unprocessable("qty or notional is required");
        }
        if (r.qty() != null && r.qty().signum() <= 0) {
            throw ApiException.unprocessable("qty must be > 0");
        }
        if (r.notional() != null && r.notional().signum() <= 0) {
            throw ApiException.unprocessable("notional must be > 0");
        }
        if (r.clientOrderId() != null && r.clientOrderId().length() > 128) {
            throw ApiException.unprocessable("client_order_id must be no more than 128 characters");
        }
        if (!venue.trades(r.symbol())) {
            throw ApiException.unprocessable("asset \"" + r.symbol() + "\" not found");
        }
        if (r.orderClass() != null && !r.orderClass().isEmpty() && !r.orderClass().equals("simple")) {
            throw ApiException.unprocessable("order_class " + r.orderClass() + " is not supported by the simulator");
        }
        OrderType type = switch (r.type()) {
            case MARKET -> OrderType.MARKET;
            case LIMIT -> OrderType.LIMIT;
            case STOP -> OrderType.STOP;
            case STOP_LIMIT -> OrderType.STOP_LIMIT;
            case TRAILING_STOP -> throw ApiException.unprocessable("trailing_stop orders are not supported by the simulator");
        };
        if (type.hasLimit() && r.limitPrice() == null) {
            throw ApiException.unprocessable("limit_price is required for " + r.type().wire() + " orders");
        }
        if (!type.hasLimit() && r.limitPrice() != null) {
            throw ApiException.unprocessable("limit_price is only for limit and stop_limit orders");
        }
        if (type.hasStop() && r.stopPrice() == null) {
            throw ApiException.unprocessable("stop_price is required for " + r.type().wire() + " orders");
        }
        if (!type.hasStop() && r.stopPrice() != null) {
            throw ApiException.unprocessable("stop_price is only for stop and stop_limit orders");
        }
        if (r.limitPrice() != null && r.limitPrice().signum() <= 0 || r.stopPrice() != null && r.stopPrice().signum() <= 0) {
            throw ApiException.unprocessable("prices must be > 0");
        }
        boolean fractional = r.notional() != null || r.qty().stripTrailingZeros().scale() > 0;
        if (fractional && (type != OrderType.MARKET && type != OrderType.LIMIT || r.timeInForce() != AlpacaTimeInForce.DAY)) {
            throw ApiException.unprocessable("fractional orders must be DAY orders");
        }
        if (r.notional() != null && type != OrderType.MARKET) {
            throw ApiException.unprocessable("notional orders must be market orders");
        }
        if (Boolean.TRUE.equals(r.extendedHours()) && (type != OrderType.LIMIT
                || r.timeInForce() != AlpacaTimeInForce.DAY && r.timeInForce() != AlpacaTimeInForce.GTC)) {
            throw ApiException.unprocessable("extended hours order must be DAY or GTC limit orders");
        }
        TimeInForce tif = TimeInForce.valueOf(r.timeInForce().name());
        if ((tif == TimeInForce.OPG || tif == TimeInForce.CLS) && type.hasStop()) {
            throw ApiException.unprocessable("time_in_force " + r.timeInForce().wire() + " takes market or limit orders");
        }
        return new Checked(type, tif);
    }

    /** {@code GET /v2/orders}: status open|closed|all, submitted in (after, until), newest first unless asc. */
    public synchronized List<AlpacaOrder> orders(String status, Instant after, Instant until, int limit, boolean ascending,
                                                 List<String> symbols, AlpacaSide side) {
        List<AlpacaOrder> out = new ArrayList<>();
        for (AlpacaOrder o : ledger.orders().values()) {
            boolean open = o.status().isOpen();
            if ("open".equals(status) && !open || "closed".equals(status) && open
                    || after != null && !o.submittedAt().isAfter(after) || until != null && !o.submittedAt().isBefore(until)
                    || symbols != null && !symbols.contains(o.symbol()) || side != null && o.side() != side) {
                continue;
            }
            out.add(o);
        }
        Comparator<AlpacaOrder> bySubmission = Comparator.comparing(AlpacaOrder::submittedAt).thenComparing(AlpacaOrder::id);
        out.sort(ascending ? bySubmission : bySubmission.reversed());
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /** {@code GET /v2/orders/{id}}. */
    public synchronized AlpacaOrder order(String id) {
        AlpacaOrder o = ledger.orders().get(id);
        if (o == null) {
            throw ApiException.notFound("order not found for " + id);
        }
        return o;
    }

    /** {@code GET /v2/orders:by_client_order_id}. */
    public synchronized AlpacaOrder orderByClientId(String clientOrderId) {
        String id = clientIds.get(clientOrderId);
        if (id == null) {
            throw ApiException.notFound("order not found for " + clientOrderId);
        }
        return ledger.orders().get(id);
    }

    /** {@code DELETE /v2/orders/{id}}: 204 when cancelled, 422 when it can no longer be. */
    public synchronized void cancel(String id) {
        AlpacaOrder o = order(id);
        if (!o.status().isOpen()) {
            throw ApiException.unprocessable("order is already in \"" + o.status().wire() + "\" state");
        }
        venue.cancel(id);
    }

    /** {@code DELETE /v2/orders}: every open order cancelled, one status each. */
    public synchronized List<OrderCancelStatus> cancelAll() {
        List<OrderCancelStatus> out = new ArrayList<>();
        for (Order o : venue.openOrders()) {
            venue.cancel(o.id());
            out.add(new OrderCancelStatus(o.id(), 200, ledger.orders().get(o.id())));
        }
        return out;
    }

    /** {@code PATCH /v2/orders/{id}}: a new order replacing the open one (which becomes {@code replaced}). */
    public synchronized AlpacaOrder replace(String id, ReplaceOrder r) {
        AlpacaOrder old = order(id);
        if (!old.status().isOpen()) {
            throw ApiException.unprocessable("order is already in \"" + old.status().wire() + "\" state");
        }
        if (old.notional() != null) {
            throw ApiException.unprocessable("notional orders cannot be replaced");
        }
        if (r.qty() != null && r.qty().signum() <= 0) {
            throw ApiException.unprocessable("qty must be > 0");
        }
        if (r.limitPrice() != null && !old.type().equals(AlpacaOrderType.LIMIT) && old.type() != AlpacaOrderType.STOP_LIMIT) {
            throw ApiException.unprocessable("limit_price is only for limit and stop_limit orders");
        }
        if (r.stopPrice() != null && old.type() != AlpacaOrderType.STOP && old.type() != AlpacaOrderType.STOP_LIMIT) {
            throw ApiException.unprocessable("stop_price is only for stop and stop_limit orders");
        }
        String clientId = r.clientOrderId() != null ? r.clientOrderId() : UUID.randomUUID().toString();
        if (clientIds.containsKey(clientId)) {
            throw ApiException.unprocessable("client_order_id must be unique");
        }
        Order current = venue.order(id);
        double qty = r.qty() != null ? r.qty().doubleValue() : current.quantity();
        OrderRequest replacement = new OrderRequest(clientId, current.symbol(), current.side(), qty, current.type(),
                r.limitPrice() != null ? r.limitPrice().doubleValue() : current.limitPrice(),
                r.stopPrice() != null ? r.stopPrice().doubleValue() : current.stopPrice(),
                r.timeInForce() != null ? TimeInForce.valueOf(r.timeInForce().name()) : current.timeInForce());
        View v = new View();
        v.createdAt = clock.now();
        v.type = old.type();
        v.extendedHours = old.extendedHours();
        v.replaces = id;
        pendingView = v;
        venue.ordersArriveMidBar(inSession.test(clock.now()));
        try {
            Order next = venue.replace(id, replacement);
            clientIds.put(clientId, next.id());
            View was = views.get(id);
            was.replacedBy = next.id();
            record(venue.order(id));
            return record(venue.order(next.id()));
        } catch (BrokerException e) {
            throw new ApiException(e.code(), e.getMessage());
        } finally {
            pendingView = null;
        }
    }

    // ---- positions and account ------------------------------------------------------------------

    /** {@code GET /v2/positions}, by symbol. */
    public synchronized List<AlpacaPosition> positions() {
        List<AlpacaPosition> out = new ArrayList<>();
        for (io.foresail.trading.broker.Position p : venue.positions()) {
            out.add(position(p));
        }
        out.sort(Comparator.comparing(AlpacaPosition::symbol));
        return out;
    }

    /** {@code GET /v2/positions/{symbol}}. */
    public synchronized AlpacaPosition position(String symbol, boolean byAssetId) {
        for (io.foresail.trading.broker.Position p : venue.positions()) {
            if (p.symbol().equals(symbol) || byAssetId && assetId(p.symbol()).equals(symbol)) {
                return position(p);
            }
        }
        throw ApiException.notFound("position does not exist");
    }

    /** {@code DELETE /v2/positions/{symbol}}: a market order closing it (or {@code percentage}/{@code qty} of it). */
    public synchronized AlpacaOrder close(String symbol, BigDecimal qty, BigDecimal percentage) {
        AlpacaPosition p = position(symbol, true);
        BigDecimal held = p.qty().abs();
        BigDecimal q = qty != null ? qty : percentage != null
                ? held.multiply(percentage).divide(BigDecimal.valueOf(100), 9, RoundingMode.DOWN) : held;
        if (q.signum() <= 0 || q.compareTo(held) > 0) {
            throw ApiException.unprocessable("qty must be > 0 and at most the position's " + held.toPlainString());
        }
        for (Order o : venue.openOrders()) {
            if (o.symbol().equals(p.symbol())) {
                venue.cancel(o.id()); // Alpaca cancels the symbol's open orders before closing
            }
        }
        boolean whole = q.stripTrailingZeros().scale() <= 0;
        return submit(new CreateOrder(p.symbol(), q, null, p.side().equals("long") ? AlpacaSide.SELL : AlpacaSide.BUY,
                AlpacaOrderType.MARKET, whole ? AlpacaTimeInForce.GTC : AlpacaTimeInForce.DAY, null, null, null, null,
                null, null, null, null, null, null, null, null));
    }

    /** {@code DELETE /v2/positions}: every position closed, one status each. */
    public synchronized List<PositionCloseStatus> closeAll(boolean cancelOrders) {
        if (cancelOrders) {
            for (Order o : venue.openOrders()) {
                venue.cancel(o.id());
            }
        }
        List<PositionCloseStatus> out = new ArrayList<>();
        for (AlpacaPosition p : positions()) {
            try {
                out.add(new PositionCloseStatus(p.symbol(), 200, close(p.symbol(), null, null)));
            } catch (ApiException e) {
                out.add(new PositionCloseStatus(p.symbol(), e.status(), e.error()));
            }
        }
        return out;
    }

    /** {@code GET /v2/account}. */
    public synchronized AlpacaAccount account() {
        double equity = venue.equity();
        double longValue = 0, shortValue = 0;
        for (io.foresail.trading.broker.Position p : venue.positions()) {
            double value = p.quantity() * venue.lastPrice(p.symbol());
            if (value > 0) {
                longValue += value;
            } else {
                shortValue += value;
            }
        }
        BigDecimal bp = money(buyingPower());
        return new AlpacaAccount(ACCOUNT_ID, "PA-FORESAIL-SIM", "ACTIVE", "INACTIVE", 0, "USD", bp, bp, money(0), bp,
                money(Math.max(0, venue.cash())), money(0), money(venue.cash()), money(0), money(0), money(0),
                money(equity), false, false, false, false, Instant.EPOCH, false, new BigDecimal("2"), true,
                money(equity), money(lastEquity), money(longValue), money(shortValue), money(longValue + shortValue),
                money(0.5 * (longValue - shortValue)), money(0.25 * longValue + 0.3 * -shortValue),
                money(0.25 * longValue + 0.3 * -shortValue), money(equity), 0,
                clock.now().toString().substring(0, 10), money(0), money(0), 0, 0, Map.of(), null);
    }

    /** {@code GET /v2/account/activities/FILL}: executions, newest first unless {@code ascending}. */
    public synchronized List<FillActivity> fills(Instant after, Instant until, boolean ascending, int pageSize) {
        List<FillActivity> out = new ArrayList<>();
        for (FillActivity f : ledger.fills()) {
            if ((after == null || f.transactionTime().isAfter(after)) && (until == null || f.transactionTime().isBefore(until))) {
                out.add(f);
            }
        }
        if (!ascending) {
            java.util.Collections.reverse(out);
        }
        return out.size() > pageSize ? List.copyOf(out.subList(0, pageSize)) : out;
    }

    /** Cash plus positions at their latest prices, dollars. */
    public synchronized double equity() {
        return venue.equity();
    }

    // ---- internals ------------------------------------------------------------------------------

    private double buyingPower() {
        double onOrder = openBuyLimitDollars;
        for (Map.Entry<String, Double> e : openBuyShares.entrySet()) {
            double p = venue.lastPrice(e.getKey());
            onOrder += e.getValue() * (Double.isNaN(p) ? 0 : p);
        }
        return Math.max(0, 2 * venue.equity() - venue.grossValue() - onOrder);
    }

    /** Moves order {@code o}'s contribution to the open-order sums from what was counted to what it holds now. */
    private void recount(Order o) {
        double[] before = counted.remove(o.id());
        if (before != null) {
            add(o, -before[0]);
        }
        double remaining = o.remaining();
        if (remaining > 0) {
            counted.put(o.id(), new double[] {remaining});
            add(o, remaining);
        }
    }

    private void add(Order o, double shares) {
        if (o.side() == Side.SELL) {
            openSellShares.merge(o.symbol(), shares, Double::sum);
        } else if (o.type().hasLimit()) {
            openBuyLimitDollars += shares * o.limitPrice();
        } else {
            openBuyShares.merge(o.symbol(), shares, Double::sum);
        }
    }

    private double position(String symbol) {
        for (io.foresail.trading.broker.Position p : venue.positions()) {
            if (p.symbol().equals(symbol)) {
                return p.quantity();
            }
        }
        return 0;
    }

    private double pendingSells(String symbol) {
        return Math.max(0, openSellShares.getOrDefault(symbol, 0.0));
    }

    private AlpacaPosition position(io.foresail.trading.broker.Position p) {
        double last = venue.lastPrice(p.symbol());
        double qty = p.quantity();
        double value = qty * last;
        double cost = qty * p.averageEntryPrice();
        double pl = value - cost;
        return new AlpacaPosition(assetId(p.symbol()), p.symbol(), "NYSE", "us_equity", true,
                price(p.averageEntryPrice()), decimal(qty), decimal(qty), qty > 0 ? "long" : "short", money(value),
                money(cost), money(pl), ratio(cost == 0 ? 0 : pl / Math.abs(cost)), money(pl),
                ratio(cost == 0 ? 0 : pl / Math.abs(cost)), price(last), price(last), ratio(0));
    }

    /** The asset id of {@code symbol}: a UUID derived from the symbol, stable across runs. */
    public static String assetId(String symbol) {
        return UUID.nameUUIDFromBytes(("foresail-sim-asset:" + symbol).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void onVenueUpdate(OrderUpdate u) {
        Order o = u.order();
        recount(o);
        View v = views.get(o.id());
        if (v == null) {
            v = pendingView != null ? pendingView : new View();
            if (v.createdAt == null) {
                v.createdAt = o.submittedAt();
            }
            views.put(o.id(), v);
        }
        Instant now = u.fill() != null ? u.fill().at() : o.updatedAt();
        switch (u.kind()) {
            case FILL -> v.filledAt = now;
            case CANCELED -> v.canceledAt = now;
            case EXPIRED -> v.expiredAt = now;
            case REPLACED -> v.replacedAt = now;
            case REJECTED -> v.failedAt = now;
            default -> {
            }
        }
        AlpacaOrder view = record(o);
        TradeUpdate.Event event;
        if (u.fill() != null) {
            double positionQty = position(o.symbol());
            event = new TradeUpdate.Event(u.kind() == OrderUpdate.Kind.FILL ? "fill" : "partial_fill",
                    u.fill().executionId(), view, decimal(positionQty), price(u.fill().price()), decimal(u.fill().quantity()),
                    now);
            ledger.fill(new FillActivity(u.fill().executionId(), "FILL", now,
                    u.kind() == OrderUpdate.Kind.FILL ? "fill" : "partial_fill", price(u.fill().price()),
                    decimal(u.fill().quantity()), view.side(), o.symbol(), decimal(o.quantity() - o.filledQuantity()), o.id(),
                    decimal(o.filledQuantity()), view.status()));
        } else {
            event = new TradeUpdate.Event(switch (u.kind()) {
                case NEW -> "new";
                case CANCELED -> "canceled";
                case EXPIRED -> "expired";
                case REPLACED -> "replaced";
                case REJECTED -> "rejected";
                default -> throw new IllegalStateException(u.kind().toString());
            }, null, view, null, null, null, now);
        }
        TradeUpdate message = TradeUpdate.of(event);
        for (Consumer<TradeUpdate> l : listeners) {
            l.accept(message);
        }
    }

    /** The order's Alpaca view, recorded in the ledger. */
    private AlpacaOrder record(Order o) {
        AlpacaOrder view = view(o);
        ledger.order(view);
        return view;
    }

    private AlpacaOrder view(Order o) {
        View v = views.getOrDefault(o.id(), new View());
        AlpacaOrderType type = v.type != null ? v.type : switch (o.type()) {
            case MARKET -> AlpacaOrderType.MARKET;
            case LIMIT -> AlpacaOrderType.LIMIT;
            case STOP -> AlpacaOrderType.STOP;
            case STOP_LIMIT -> AlpacaOrderType.STOP_LIMIT;
        };
        AlpacaOrderStatus status = switch (o.status()) {
            case NEW -> AlpacaOrderStatus.NEW;
            case PARTIALLY_FILLED -> AlpacaOrderStatus.PARTIALLY_FILLED;
            case FILLED -> AlpacaOrderStatus.FILLED;
            case CANCELED -> AlpacaOrderStatus.CANCELED;
            case EXPIRED -> AlpacaOrderStatus.EXPIRED;
            case REPLACED -> AlpacaOrderStatus.REPLACED;
            case REJECTED -> AlpacaOrderStatus.REJECTED;
        };
        Instant created = v.createdAt != null ? v.createdAt : o.submittedAt();
        return new AlpacaOrder(o.id(), o.clientOrderId(), created, o.updatedAt(), o.submittedAt(), v.filledAt,
                v.expiredAt, null, v.canceledAt, null, v.failedAt, v.replacedAt, v.replacedBy, v.replaces,
                assetId(o.symbol()), o.symbol(), "us_equity", v.notional, v.notional != null && o.filledQuantity() == 0
                ? null : decimal(o.quantity()), decimal(o.filledQuantity()),
                o.filledQuantity() > 0 ? price(o.averageFillPrice()) : null, "", type, type,
                o.side() == Side.BUY ? AlpacaSide.BUY : AlpacaSide.SELL, null, AlpacaTimeInForce.valueOf(o.timeInForce().name()),
                Double.isNaN(o.limitPrice()) ? null : price(o.limitPrice()),
                Double.isNaN(o.stopPrice()) ? null : price(o.stopPrice()), status, v.extendedHours, null, null, null, null,
                null, null, null);
    }

    private static BigDecimal money(double dollars) {
        return BigDecimal.valueOf(dollars).setScale(2, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal price(double p) {
        return BigDecimal.valueOf(p).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    private static BigDecimal decimal(double q) {
        return BigDecimal.valueOf(q).setScale(9, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    private static BigDecimal ratio(double r) {
        return BigDecimal.valueOf(r).setScale(10, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    private static String plain(double q) {
        return decimal(q).toPlainString();
    }
}
