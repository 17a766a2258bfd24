package io.foresail.alpacasim;

import io.foresail.alpaca.wire.TradeUpdate;
import io.foresail.alpacasim.clock.SimClock;
import io.foresail.alpacasim.market.ReplayMarket;
import io.foresail.alpacasim.paper.Ledger;
import io.foresail.alpacasim.paper.PaperAccount;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.core.market.Bar;
import io.foresail.core.market.TradingSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The simulated market and account on one clock: as market time passes each minute is traded on
 * the paper account's venue and then published to the minute-bar listeners (the market data
 * streams). {@link #catchUp} does the minutes up to now: the server's ticker calls it while the
 * clock runs, and {@link #advanceTo} steps the clock and calls it synchronously. Thread-safe.
 */
public final class Simulator {
    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

    private final ReplayMarket market;
    private final SimClock clock;
    private final ExecutionConfig execution;
    private final Instant start;
    private final Ledger ledger = new Ledger();
    private final List<Consumer<List<Bar>>> minuteListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<TradeUpdate>> tradeListeners = new CopyOnWriteArrayList<>();
    private volatile PaperAccount account;
    private Instant nextMinute;

    public Simulator(ReplayMarket market, ExecutionConfig execution, Instant start, double speed) {
        this.market = market;
        this.execution = execution;
        this.start = start.truncatedTo(ChronoUnit.MINUTES);
        this.clock = new SimClock(this.start, speed);
        this.account = newAccount();
        this.nextMinute = this.start;
    }

    public ReplayMarket market() {
        return market;
    }

    public SimClock clock() {
        return clock;
    }

    public PaperAccount account() {
        return account;
    }

    public Ledger ledger() {
        return ledger;
    }

    private PaperAccount newAccount() {
        PaperAccount a = new PaperAccount(market.symbols(), execution, clock, ledger, t -> market.sessionAt(t).isPresent());
        a.onTradeUpdate(u -> tradeListeners.forEach(l -> l.accept(u)));
        return a;
    }

    /** Registers a listener for the account's trade updates (kept across resets). */
    public void onTradeUpdate(Consumer<TradeUpdate> listener) {
        tradeListeners.add(listener);
    }

    public void removeTradeUpdateListener(Consumer<TradeUpdate> listener) {
        tradeListeners.remove(listener);
    }

    /** Registers a listener for each traded minute's bars (symbols that traded that minute). */
    public void onMinute(Consumer<List<Bar>> listener) {
        minuteListeners.add(listener);
    }

    public void removeMinuteListener(Consumer<List<Bar>> listener) {
        minuteListeners.remove(listener);
    }

    /** Trades and publishes every minute that has ended by the clock's now; returns how many. */
    public synchronized int catchUp() {
        Instant now = clock.now();
        int done = 0;
        while (!nextMinute.plusSeconds(60).isAfter(now)) {
            if (market.sessionAt(nextMinute).isEmpty()) {
                // Outside the session nothing trades: jump to the next open once its first minute has ended.
                Optional<Instant> open = market.nextSession(nextMinute).map(TradingSession::open);
                if (open.isEmpty() || open.get().plusSeconds(60).isAfter(now)) {
                    break;
                }
                nextMinute = open.get();
                continue;
            }
            List<Bar> bars = market.minute(nextMinute);
            account.trade(market.crossSection(nextMinute, bars));
            for (Consumer<List<Bar>> l : minuteListeners) {
                l.accept(bars);
            }
            nextMinute = nextMinute.plusSeconds(60);
            done++;
        }
        return done;
    }

    /** Moves the clock forward to {@code t} and trades every minute up to it. */
    public synchronized int advanceTo(Instant t) {
        clock.advanceTo(t);
        return catchUp();
    }

    /** Starts again from the start: a fresh account (starting cash, no orders), an empty ledger, the clock at the start. */
    public synchronized void reset() {
        ledger.clear();
        PaperAccount fresh = newAccount();
        clock.resetTo(start);
        nextMinute = start;
        account = fresh;
        LOG.info("simulator reset to {}", start);
    }
}
