package io.foresail.backtest.replay;

import io.foresail.backtest.tape.BarTape;
import io.foresail.backtest.tape.ScoreTape;
import io.foresail.backtest.tape.TapeMarketData;

import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.backtest.venue.SimulatedVenue;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.ReplayClock;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.progress.Progress;
import io.foresail.trading.broker.BrokerException;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.broker.Order;
import io.foresail.trading.decision.Book;
import io.foresail.trading.decision.Decision;
import io.foresail.trading.decision.DecisionPath;
import io.foresail.trading.decision.Scores;
import io.foresail.trading.decision.StrategyConfig;
import io.foresail.trading.orders.OrderIntent;
import io.foresail.trading.risk.KillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The backtest loop: the tape's {@link TapeMarketData} delivers each bar to the
 * {@link SimulatedVenue} and then to the one {@link DecisionPath}, the ports and the order of
 * events the live trader has. At each bar t: the clock moves to the bar's end, the venue trades it
 * (filling orders decided at t-1's close) and marks positions at t's close, then the decision at
 * t's close sends its orders, which can trade from t+1 on. Nothing at t reads a bar after t:
 * scores at t are the model's at t, fills happen strictly later.
 */
public final class Replay {
    private static final Logger log = LoggerFactory.getLogger(Replay.class);

    /** The settings of one replay. */
    public record Settings(StrategyConfig strategy, ExecutionConfig execution, boolean keepDecisions, String label) {
    }

    private Replay() {
    }

    /** The replay's per-bar record, filled by the decision listener. */
    private static final class Loop {
        final double[] equity;
        final double[] gross;
        final double[] net;
        final double[] traded;
        final double[] pending;
        final List<Decision> decisions;
        int t;
        long events;
        long orders;

        Loop(int bars, int symbols, boolean keepDecisions) {
            equity = new double[bars];
            gross = new double[bars];
            net = new double[bars];
            traded = new double[bars];
            pending = new double[symbols];
            decisions = keepDecisions ? new ArrayList<>() : null;
        }
    }

    /**
     * Runs the replay.
     *
     * @param sectors one sector label per symbol of the tape, for the sector cap
     */
    public static BacktestResult run(BarTape tape, ScoreTape scores, List<String> sectors, TradingCalendar calendar,
                                     BarGrid grid, Settings settings, Progress progress) {
        int n = tape.symbols().size();
        int bars = tape.bars();
        if (bars < 2) {
            throw new InvalidInputException("backtest: the period holds " + bars + " bar(s); a replay needs at least 2");
        }
        if (scores.values().length != bars || scores.values()[0].length != n) {
            throw new InvalidInputException("backtest: scores for " + scores.values().length + " bars x "
                    + scores.values()[0].length + " symbols on a tape of " + bars + " x " + n);
        }
        ReplayClock clock = new ReplayClock(tape.start(0));
        TapeMarketData market = new TapeMarketData(tape, grid, clock);
        SimulatedVenue venue = new SimulatedVenue(tape.symbols(), settings.execution(), clock);
        List<Fill> fills = new ArrayList<>();
        venue.onUpdate(u -> {
            if (u.fill() != null) {
                fills.add(u.fill());
            }
        });
        DecisionPath path = new DecisionPath(settings.strategy(), tape.symbols(), sectors, calendar, grid, new KillSwitch());
        Loop loop = new Loop(bars, n, settings.keepDecisions());
        // The venue trades each bar (fills for orders decided at the previous close) before the
        // decision at its close sees it: the order the live trader gets its events in.
        market.onBarClose(venue::trade);
        market.onBarClose(bar -> {
            int t = loop.t++;
            loop.equity[t] = venue.equity();
            loop.gross[t] = venue.grossValue();
            loop.net[t] = venue.netValue();
            venue.pending(loop.pending);
            Decision d = path.decide(bar.start(), bar.close(), new Scores(scores.source(), scores.values()[t], scores.ic()),
                    new Book(loop.equity[t], venue.shares().clone(), loop.pending.clone()));
            loop.events += d.riskEvents().size();
            if (d.cancelOpenOrders()) {
                for (Order o : venue.openOrders()) {
                    venue.cancel(o.id());
                }
            }
            for (OrderIntent intent : d.intents()) {
                try {
                    venue.submit(intent.toMarketOrder());
                    loop.traded[t] += intent.notional();
                    loop.orders++;
                } catch (BrokerException e) {
                    log.warn("bar {} {}: order {} refused: {}", bar.start(), intent.symbol(), intent.clientOrderId(),
                            e.getMessage());
                }
            }
            if (loop.decisions != null) {
                loop.decisions.add(d);
            }
            if ((t & 1023) == 0 || t == bars - 1) {
                progress.update("replay", t + 1, bars);
            }
        });
        market.replay();
        double[] equity = loop.equity;
        double[] gross = loop.gross;
        double[] net = loop.net;
        double[] traded = loop.traded;
        List<Decision> decisions = loop.decisions;
        long events = loop.events;
        long orders = loop.orders;
        return new BacktestResult(scores.source(), settings.label() == null ? "" : settings.label(), tape.starts().clone(),
                equity, gross, net, traded, tape.benchmarkClose(), List.copyOf(fills), venue.costs(), events, orders,
                decisions == null ? List.of() : List.copyOf(decisions), settings.execution().startingCash());
    }
}
