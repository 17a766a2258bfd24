package io.foresail.livetrader.alpaca;

import io.foresail.alpaca.rest.AlpacaCredentials;

import io.foresail.alpaca.wire.AlpacaAccount;
import io.foresail.alpaca.wire.AlpacaOrder;
import io.foresail.alpaca.wire.AlpacaPosition;
import io.foresail.alpaca.wire.FillActivity;
import io.foresail.alpaca.wire.ReplaceOrder;
import io.foresail.alpaca.wire.TradeUpdate;
import io.foresail.trading.broker.Account;
import io.foresail.trading.broker.Broker;
import io.foresail.trading.broker.BrokerException;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.broker.Order;
import io.foresail.trading.broker.OrderRequest;
import io.foresail.trading.broker.OrderUpdate;
import io.foresail.trading.broker.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The {@link Broker} port on Alpaca: orders over the Trading API, events from the trade updates
 * stream. What it guarantees, whatever the network does:
 * <ul>
 *   <li><b>Never a duplicate order.</b> Every order carries the decision path's deterministic
 *       {@code client_order_id}. When a submission gets no answer, a 5xx or a 429, the order is
 *       looked up by that id before anything is sent again; a resend Alpaca refuses as a duplicate
 *       id is answered with the order it already has.</li>
 *   <li><b>Never a lost or doubled fill.</b> Fills are delivered once per {@code execution_id}
 *       (the stream may repeat them); after every (re)connection of the stream the account's FILL
 *       activities since the last fill seen are read and any missed execution is delivered.</li>
 *   <li><b>No state going backwards.</b> An order event older than what is known (fewer shares
 *       filled, or after the order ended) is dropped.</li>
 * </ul>
 * Listeners are called one event at a time, in the order the broker learns of them. Requests may
 * come from several threads at once (the trader sends a bar's orders together). The caller closes
 * the broker (the stream's connection).
 */
public final class AlpacaBroker implements Broker, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlpacaBroker.class);

    /**
     * How hard the broker tries.
     *
     * @param recoveryLookback how far before the last fill seen each recovery reads the account's
     *                         activities: the stream may have delivered a later fill before an
     *                         earlier one it then never sent (a held-back update, a crash)
     */
    public record Settings(AlpacaTradingClient.Settings http, int submitAttempts, Duration streamStartTimeout,
                           Duration recoveryLookback) {
        public static Settings defaults() {
            return new Settings(AlpacaTradingClient.Settings.defaults(), 4, Duration.ofSeconds(10), Duration.ofDays(1));
        }
    }

    private final AlpacaTradingClient client;
    private final Settings settings;
    private final TradeUpdateStream stream;
    private final List<Consumer<OrderUpdate>> listeners = new CopyOnWriteArrayList<>();
    /**
     * The executions delivered and the orders' progress, the most recent ones only: a repeated
     * event comes seconds after the original, and an older one is the owner's to recognise (its
     * store keeps each execution once and never lets an order's state go back), so a trader running
     * for months holds a constant amount here.
     */
    private final Set<String> executions = java.util.Collections.newSetFromMap(recent(5_000));
    private final Map<String, Known> known = recent(2_000);
    private Instant lastFillAt;
    private java.util.function.Predicate<String> recorded = id -> false;
    private long duplicatesDropped;
    private long staleDropped;
    private long fillsRecovered;

    /** What is known of an order: the most filled and whether it ended. */
    private record Known(double filled, boolean ended) {
    }

    /**
     * @param fillsKnownUntil the time of the last fill the owner already has (its state store);
     *                        fills from it on are delivered on connection (those at that very time
     *                        again, so none sharing it is skipped: the owner's store keeps each
     *                        execution once); null: every fill of the account
     */
    public AlpacaBroker(AlpacaEndpoints endpoints, AlpacaCredentials credentials, Settings settings, Instant fillsKnownUntil) {
        this.client = new AlpacaTradingClient(endpoints.trading(), credentials, settings.http());
        this.settings = settings;
        this.lastFillAt = fillsKnownUntil;
        this.stream = new TradeUpdateStream(endpoints.tradeUpdates(), credentials, this::onEvent, this::reconcileFills);
    }

    /**
     * Tells the broker which executions its owner has already recorded (its state store), so a
     * recovery re-reading the activities skips them without asking for their orders. Call before
     * {@link #start}.
     */
    public AlpacaBroker knownExecutions(java.util.function.Predicate<String> alreadyRecorded) {
        this.recorded = java.util.Objects.requireNonNull(alreadyRecorded, "alreadyRecorded");
        return this;
    }

    private static <K, V> Map<K, V> recent(int capacity) {
        return new java.util.LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Connects the trade updates stream (and reconciles fills once it listens). */
    public AlpacaBroker start() {
        stream.start(settings.streamStartTimeout());
        return this;
    }

    public AlpacaTradingClient client() {
        return client;
    }

    @Override
    public Order submit(OrderRequest request) {
        return submit(request, () -> true);
    }

    /**
     * Submits {@code request}; after an unanswered attempt the order is looked up by its client
     * order id, and sent again only while {@code stillWanted} says so (asked just before each
     * resend: the wait between attempts is when a kill switch may be engaged).
     *
     * @throws OrderWithdrawnException when the order, confirmed absent, is no longer wanted
     */
    public Order submit(OrderRequest request, java.util.function.BooleanSupplier stillWanted) {
        String id = request.clientOrderId();
        BrokerException last = null;
        for (int attempt = 1; attempt <= settings.submitAttempts(); attempt++) {
            if (attempt > 1 && !stillWanted.getAsBoolean()) {
                LOG.warn("order {}: not sent again, no longer wanted (confirmed absent)", id);
                throw new OrderWithdrawnException(id);
            }
            try {
                return AlpacaOrders.order(client.submit(AlpacaOrders.create(request)));
            } catch (AlpacaApiException e) {
                if (e.status() == 422 && e.getMessage().contains("client_order_id must be unique")) {
                    // Sent before (an answer lost on the way): the order Alpaca has is the answer.
                    return AlpacaOrders.order(client.orderByClientId(id).orElseThrow(() -> e));
                }
                if (!e.retryable()) {
                    throw e; // refused (403 buying power, 422 invalid): sending again changes nothing
                }
                last = e;
                LOG.warn("order {}: {} on submission; looking it up before any resend", id, e.status());
            } catch (AlpacaTradingClient.NoAnswer e) {
                last = new BrokerException("order " + id + ": " + e.getMessage(), 0, true);
                LOG.warn("order {}: no answer to the submission; looking it up before any resend", id);
            }
            Optional<AlpacaOrder> placed = client.orderByClientId(id);
            if (placed.isPresent()) {
                LOG.info("order {}: found as {} after an unanswered submission; not resent", id, placed.get().id());
                return AlpacaOrders.order(placed.get());
            }
            AlpacaTradingClient.sleep(client.backoff(attempt));
        }
        throw new BrokerException("order " + id + " not placed after " + settings.submitAttempts()
                + " attempts, each confirmed absent by its client_order_id: " + last.getMessage(), last.code(), true);
    }

    /** The order Alpaca has under this client order id, if any (a read: retried on timeouts and 5xx). */
    public Optional<Order> orderByClientId(String clientOrderId) {
        return client.orderByClientId(clientOrderId).map(AlpacaOrders::order);
    }

    @Override
    public Order cancel(String orderId) {
        try {
            client.cancel(orderId);
        } catch (AlpacaApiException e) {
            if (e.status() != 422) {
                throw e; // 404: no such order
            }
            // 422: it can no longer be cancelled (filled, already cancelled): its current state is the answer
        } catch (AlpacaTradingClient.NoAnswer e) {
            LOG.warn("cancel {}: no answer; reading the order's state", orderId);
        }
        return AlpacaOrders.order(client.order(orderId));
    }

    @Override
    public Order replace(String orderId, double quantity, double limitPrice) {
        try {
            return AlpacaOrders.order(client.replace(orderId, new ReplaceOrder(AlpacaOrders.decimal(quantity), null,
                    Double.isNaN(limitPrice) ? null : AlpacaOrders.decimal(limitPrice), null, null, null, null, null)));
        } catch (AlpacaTradingClient.NoAnswer e) {
            AlpacaOrder old = client.order(orderId);
            if (old.replacedBy() != null) {
                return AlpacaOrders.order(client.order(old.replacedBy()));
            }
            throw new BrokerException("replace " + orderId + ": no answer, and the order was not replaced", 0, true);
        }
    }

    @Override
    public List<Order> openOrders() {
        return client.openOrders().stream().map(AlpacaOrders::order).toList();
    }

    @Override
    public List<Position> positions() {
        List<Position> out = new ArrayList<>();
        for (AlpacaPosition p : client.positions()) {
            out.add(new Position(p.symbol(), p.qty().doubleValue(), p.avgEntryPrice().doubleValue()));
        }
        return out;
    }

    @Override
    public Account account() {
        AlpacaAccount a = client.account();
        return new Account(a.cash().doubleValue(), a.equity().doubleValue(), a.buyingPower().doubleValue(),
                Boolean.TRUE.equals(a.tradingBlocked()) || Boolean.TRUE.equals(a.accountBlocked()));
    }

    @Override
    public void onUpdate(Consumer<OrderUpdate> listener) {
        listeners.add(listener);
    }

    /** Counters: repeated executions and stale order events dropped, fills recovered from the account's activities. */
    public synchronized Map<String, Long> counters() {
        return Map.of("duplicate_fills_dropped", duplicatesDropped, "stale_events_dropped", staleDropped,
                "fills_recovered", fillsRecovered, "stream_reconnects", stream.reconnects());
    }

    private synchronized void onEvent(TradeUpdate.Event e) {
        Order order = AlpacaOrders.order(e.order());
        switch (e.event()) {
            case "fill", "partial_fill" -> fill(e.executionId(), order, e.qty().doubleValue(), e.price().doubleValue(),
                    e.timestamp(), e.event().equals("fill"));
            case "new", "canceled", "expired", "done_for_day", "replaced", "rejected" -> {
                Known k = known.get(order.id());
                boolean ends = !order.status().isOpen();
                if (k != null && (k.ended() || order.filledQuantity() < k.filled())) {
                    staleDropped++;
                    LOG.debug("order {}: {} event older than what is known; dropped", order.clientOrderId(), e.event());
                    return;
                }
                known.put(order.id(), new Known(order.filledQuantity(), ends));
                publish(new OrderUpdate(kind(e.event()), order, null));
            }
            default -> LOG.debug("order {}: {} event (no change to the book)", order.clientOrderId(), e.event());
        }
    }

    private void fill(String executionId, Order order, double qty, double price, Instant at, boolean complete) {
        if (!executions.add(executionId)) {
            duplicatesDropped++;
            return;
        }
        if (lastFillAt == null || at.isAfter(lastFillAt)) {
            lastFillAt = at;
        }
        Known k = known.get(order.id());
        known.put(order.id(), new Known(Math.max(order.filledQuantity(), k == null ? 0 : k.filled()),
                k != null && k.ended() || !order.status().isOpen()));
        Fill f = new Fill(executionId, order.id(), order.clientOrderId(), order.symbol(), order.side(), qty, price, 0, at);
        publish(new OrderUpdate(complete ? OrderUpdate.Kind.FILL : OrderUpdate.Kind.PARTIAL_FILL, order, f));
    }

    /**
     * Reads the account's FILL activities since the last fill seen and delivers those the stream
     * missed (what every (re)connection does; the trader calls it too before it declares a
     * divergence).
     */
    public void recoverFills() {
        reconcileFills();
    }

    /**
     * Reads every FILL activity of the account after {@code after} (null: all of them) and
     * delivers those not yet delivered nor recorded: the trader's last resort before it declares
     * a divergence.
     */
    public void recoverFillsSince(Instant after) {
        recover(after);
    }

    /** After each (re)connection: every FILL activity after the last fill seen, delivered if it was missed. */
    private void reconcileFills() {
        Instant after;
        synchronized (this) {
            // Fills can share a timestamp, and an earlier one may never have been sent: look back.
            after = lastFillAt == null ? null : lastFillAt.minus(settings.recoveryLookback()).minusNanos(1);
        }
        recover(after);
    }

    private void recover(Instant after) {
        int recovered = 0;
        while (true) {
            List<FillActivity> page = client.fillsAfter(after);
            Instant before = after;
            for (FillActivity a : page) {
                synchronized (this) {
                    if (!executions.contains(a.id()) && recorded.test(a.id())) {
                        executions.add(a.id()); // the owner has it: no need to ask for its order
                    }
                    if (!executions.contains(a.id())) {
                        Order order = AlpacaOrders.order(client.order(a.orderId()));
                        fill(a.id(), order, a.qty().doubleValue(), a.price().doubleValue(), a.transactionTime(),
                                a.leavesQty().signum() == 0);
                        fillsRecovered++;
                        recovered++;
                    }
                }
                after = a.transactionTime().minusNanos(1);
            }
            if (page.size() < 100 || java.util.Objects.equals(before, after)) {
                break;
            }
        }
        if (recovered > 0) {
            LOG.warn("trade updates: {} fill(s) missed by the stream recovered from the account's activities", recovered);
        }
    }

    private static OrderUpdate.Kind kind(String event) {
        return switch (event) {
            case "new" -> OrderUpdate.Kind.NEW;
            case "canceled" -> OrderUpdate.Kind.CANCELED;
            case "expired", "done_for_day" -> OrderUpdate.Kind.EXPIRED;
            case "replaced" -> OrderUpdate.Kind.REPLACED;
            case "rejected" -> OrderUpdate.Kind.REJECTED;
            default -> throw new IllegalArgumentException(event);
        };
    }

    private void publish(OrderUpdate u) {
        for (Consumer<OrderUpdate> l : listeners) {
            try {
                l.accept(u);
            } catch (RuntimeException e) {
                LOG.error("order {}: a listener failed on {}", u.order().clientOrderId(), u.kind(), e);
            }
        }
    }

    /** Whether the trade updates stream is connected and listening. */
    public boolean streaming() {
        return stream.isListening();
    }

    @Override
    public void close() {
        stream.close();
    }
}
