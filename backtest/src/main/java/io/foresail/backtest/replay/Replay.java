package io.foresail.backtest.replay;

import io.foresail.backtest.tape.BarTape;
import io.foresail.backtest.tape.ScoreTape;

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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The backtest loop: replays a {@link BarTape} bar by bar through the one {@link DecisionPath}
 * and a {@link SimulatedVenue}. At each bar t: the clock moves to the bar, the venue trades it
 * (filling orders decided at t-1's close), positions are marked at t's close, then the decision
 * at t's close sends its orders, which can trade from t+1 on. Nothing at t reads a bar after t:
 * scores at t are the model's at t, fills happen strictly later.
 */
public final class Replay {
    private static final Logger log = LoggerFactory.getLogger(Replay.class);

    /** The settings of one replay. */
    public record Settings(StrategyConfig strategy, ExecutionConfig execution, boolean keepDecisions, String label) {
    }

    private Replay() {
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
        SimulatedVenue venue = new SimulatedVenue(tape, settings.execution(), clock);
        List<Fill> fills = new ArrayList<>();
        venue.onUpdate(u -> {
            if (u.fill() != null) {
                fills.add(u.fill());
            }
        });
        DecisionPath path = new DecisionPath(settings.strategy(), tape.symbols(), sectors, calendar, grid, new KillSwitch());
        double[] equity = new double[bars];
        double[] gross = new double[bars];
        double[] net = new double[bars];
        double[] traded = new double[bars];
        double[] close = new double[n];
        double[] pending = new double[n];
        List<Decision> decisions = settings.keepDecisions() ? new ArrayList<>() : null;
        long events = 0;
        long orders = 0;
        for (int t = 0; t < bars; t++) {
            Instant start = tape.start(t);
            int g = grid.indexOf(start);
            if (g < 0) {
                throw new InvalidInputException("backtest: bar " + start + " of the tape is not on the "
                        + grid.timeframe() + " session grid");
            }
            clock.advanceTo(grid.end(g));
            venue.trade(t, grid.slotInSession(g) == grid.barsInSessionOf(g) - 1);
            equity[t] = venue.equity();
            gross[t] = venue.grossValue();
            net[t] = venue.netValue();
            tape.closes(t, close);
            venue.pending(pending);
            Decision d = path.decide(start, close, new Scores(scores.source(), scores.values()[t], scores.ic()),
                    new Book(equity[t], venue.shares().clone(), pending.clone()));
            events += d.riskEvents().size();
            if (d.cancelOpenOrders()) {
                for (Order o : venue.openOrders()) {
                    venue.cancel(o.id());
                }
            }
            for (OrderIntent intent : d.intents()) {
                try {
                    venue.submit(intent.toMarketOrder());
                    traded[t] += intent.notional();
                    orders++;
                } catch (BrokerException e) {
                    log.warn("bar {} {}: order {} refused: {}", start, intent.symbol(), intent.clientOrderId(), e.getMessage());
                }
            }
            if (decisions != null) {
                decisions.add(d);
            }
            if ((t & 1023) == 0 || t == bars - 1) {
                progress.update("replay", t + 1, bars);
            }
        }
        return new BacktestResult(scores.source(), settings.label() == null ? "" : settings.label(), tape.starts().clone(),
                equity, gross, net, traded, tape.benchmarkClose(), List.copyOf(fills), venue.costs(), events, orders,
                decisions == null ? List.of() : List.copyOf(decisions), settings.execution().startingCash());
    }
}
