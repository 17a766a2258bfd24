package io.foresail.alpacasim.server;

import io.foresail.alpaca.wire.TradeUpdate;
import io.foresail.alpacasim.fault.FaultPlan;
import io.foresail.alpacasim.fault.FaultSpec;
import io.foresail.alpacasim.fault.Faults;
import io.foresail.alpacasim.paper.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies faults to the running server: at once from the control API, or when market time reaches
 * a fault file's entry. Each injection is counted in the ledger as {@code injected.<kind>}; each
 * effect it has (a 5xx served, a response lost, an update sent twice...) under its own name.
 * Also the trade update dispatcher, since duplicates and reordering happen there.
 */
final class FaultInjector {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    private final SimServer server;
    private final Faults faults;
    private final List<FaultSpec> pending;
    private TradeUpdate held;

    FaultInjector(SimServer server, FaultPlan plan) {
        this.server = server;
        this.faults = new Faults(plan.seed());
        this.pending = new ArrayList<>(plan.schedule());
    }

    Faults faults() {
        return faults;
    }

    /** Fires the fault file's entries whose time has come. */
    synchronized void fireDue(Instant now) {
        while (!pending.isEmpty() && !pending.get(0).at().isAfter(now)) {
            apply(pending.remove(0));
        }
    }

    void apply(FaultSpec f) {
        var ledger = server.simulator().ledger();
        LOG.info("fault {} injected at market time {}", f.kind(), server.simulator().clock().now());
        switch (f.kind()) {
            case "stream_drop" -> {
                if (f.stream().equals("market_data")) {
                    server.marketDataSessions.forEach(s -> s.drop(f.mode().equals("reset")));
                } else {
                    server.tradeSessions.forEach(s -> s.drop(f.mode().equals("reset")));
                }
            }
            case "stream_stall" -> faults.stall(Faults.stream(f.stream()), f.seconds());
            case "reconnect_406" -> faults.reject406(f.seconds());
            case "slow_client" -> server.marketDataSessions.forEach(MarketDataSession::cutOffAsSlow);
            case "rate_limit_burst" -> server.exhaustRateLimit();
            case "http_5xx" -> faults.fail(f.count(), f.status());
            case "lost_response" -> faults.loseResponses(f.count());
            case "duplicate_updates" -> faults.duplicateUpdates(f.probability());
            case "out_of_order_updates" -> faults.outOfOrderUpdates(f.probability());
            case "delayed_fills" -> server.simulator().account().delayFills(f.minutes());
            case "partial_fills" -> server.simulator().account().partialFills(f.probability());
            case "reject_orders" -> server.simulator().account().rejectNext(f.count());
            case "halt" -> {
                if (!server.simulator().market().has(f.symbol())) {
                    throw ApiException.unprocessable("halt.symbol " + f.symbol() + " is not in the market");
                }
                server.simulator().account().halt(f.symbol(), f.halted());
            }
            default -> throw new IllegalStateException(f.kind());
        }
        ledger.fault("injected." + f.kind());
    }

    /** Sends a trade update to every listening session, duplicated or held back as the faults say. */
    synchronized void dispatch(TradeUpdate u) {
        if (held == null && faults.holdNext()) {
            held = u;
            server.simulator().ledger().fault("out_of_order_update");
            return;
        }
        send(u);
        if (held != null) {
            send(held);
            held = null;
        }
    }

    /** Sends what is held back (at each minute's end, so nothing is held for ever). */
    synchronized void flush() {
        if (held != null) {
            send(held);
            held = null;
        }
    }

    private void send(TradeUpdate u) {
        server.tradeSessions.forEach(s -> s.publish(u));
        if (faults.duplicateNext()) {
            server.simulator().ledger().fault("duplicate_update");
            server.tradeSessions.forEach(s -> s.publish(u));
        }
    }
}
