package io.foresail.trading.decision;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.TradingCalendar;
import io.foresail.trading.orders.OrderIntent;
import io.foresail.trading.orders.OrderPlanner;
import io.foresail.trading.portfolio.PortfolioConstruction;
import io.foresail.trading.portfolio.RebalanceSchedule;
import io.foresail.trading.risk.CovarianceEstimate;
import io.foresail.trading.risk.DailyLossLimit;
import io.foresail.trading.risk.DrawdownLadder;
import io.foresail.trading.risk.ExposureLimit;
import io.foresail.trading.risk.KellyCap;
import io.foresail.trading.risk.KillSwitch;
import io.foresail.trading.risk.NameCap;
import io.foresail.trading.risk.RiskEvents;
import io.foresail.trading.risk.RiskRule;
import io.foresail.trading.risk.RiskState;
import io.foresail.trading.risk.SectorCap;
import io.foresail.trading.risk.VolatilityTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one decision path, shared by the live trader and the backtest: at each bar close, scores
 * for the universe become target weights (portfolio construction, on rebalance bars), then risk
 * (sizing rules on rebalance bars: volatility target, Kelly cap, name and sector caps, exposure
 * limits; protective rules on every bar: drawdown ladder, daily loss limit; the kill switch over
 * all of them), then order intents with deterministic client order ids.
 *
 * <p>Call {@link #decide} once for every bar of the calendar's grid, in time order: the covariance
 * and the equity watermarks advance with each call. A bar that is not on the session grid is
 * refused. Between rebalances the book is held: it changes only when a protective rule changes
 * how much of the sized book may be held. Stateful and not thread-safe: one path per strategy
 * and account, driven by one thread (the bar thread, or the replay).
 */
public final class DecisionPath {
    private static final Logger log = LoggerFactory.getLogger(DecisionPath.class);

    private final List<String> symbols;
    private final BarGrid grid;
    private final TradingCalendar calendar;
    private final PortfolioConstruction construction;
    private final RebalanceSchedule schedule;
    private final List<RiskRule> sizing;
    private final List<RiskRule> protective;
    private final DrawdownLadder ladder;
    private final KillSwitch killSwitch;
    private final OrderPlanner planner;
    private final RiskState state;
    private final int n;
    private final double[] constructed;
    private final double[] sized;
    private final double[] weights;
    private final double[] held;
    private final double[] targetShares;
    private double appliedScale = 1;
    private int lastIndex = -1;

    /**
     * @param symbols   the tradable names, in the order of every array the path reads and writes
     * @param sectorOf  each name's sector (any label; names with the same label share a cap)
     */
    public DecisionPath(StrategyConfig config, List<String> symbols, List<String> sectorOf, TradingCalendar calendar,
                        BarGrid grid, KillSwitch killSwitch) {
        if (symbols.isEmpty() || symbols.size() != sectorOf.size()) {
            throw new InvalidInputException("decision path needs one sector per symbol: " + symbols.size() + " symbols, "
                    + sectorOf.size() + " sectors");
        }
        this.symbols = List.copyOf(symbols);
        this.n = symbols.size();
        this.grid = grid;
        this.calendar = calendar;
        this.killSwitch = killSwitch;
        StrategyConfig.Portfolio p = config.portfolio();
        this.construction = switch (p.construction()) {
            case "long_only_top_k" -> PortfolioConstruction.longOnlyTopK(p.k());
            case "long_short_quantiles" -> PortfolioConstruction.longShortQuantiles(p.k());
            case "score_weighted" -> PortfolioConstruction.scoreWeighted(false);
            case "score_weighted_long_only" -> PortfolioConstruction.scoreWeighted(true);
            default -> throw new IllegalStateException(p.construction());
        };
        StrategyConfig.Rebalance r = config.rebalance();
        this.schedule = r.everyBars() != null ? RebalanceSchedule.everyBars(r.everyBars())
                : RebalanceSchedule.at(r.at(), calendar.zone());
        StrategyConfig.Risk risk = config.risk();
        List<RiskRule> sizingRules = new ArrayList<>();
        if (risk.targetVolatility() != 0) {
            sizingRules.add(new VolatilityTarget(risk.targetVolatility(), risk.maxScale()));
        }
        if (risk.kelly() != null) {
            sizingRules.add(new KellyCap(risk.kelly().fraction(), risk.kelly().breadth(n)));
        }
        sizingRules.add(new NameCap(risk.maxName()));
        sizingRules.add(new SectorCap(risk.maxSector()));
        sizingRules.add(new ExposureLimit(risk.maxGross(), risk.maxNet()));
        this.sizing = List.copyOf(sizingRules);
        this.ladder = new DrawdownLadder(risk.drawdownLadder());
        this.protective = List.of(ladder, new DailyLossLimit(risk.dailyLossLimit()));
        this.planner = new OrderPlanner(config.name(), config.orders().fractional(), config.orders().minNotional(),
                config.noTradeBand());
        Map<String, Integer> sectorIndex = new LinkedHashMap<>();
        int[] sectorIds = new int[n];
        for (int i = 0; i < n; i++) {
            sectorIds[i] = sectorIndex.computeIfAbsent(sectorOf.get(i), s -> sectorIndex.size());
        }
        StrategyConfig.Covariance c = risk.covariance();
        double barsPerYear = 252.0 * (grid.timeframe().isIntraday()
                ? Math.ceil(23_400.0 / grid.timeframe().duration().getSeconds()) : 1);
        this.state = new RiskState(symbols, sectorIds, List.copyOf(sectorIndex.keySet()),
                new CovarianceEstimate(n, c.halfLifeBars(), c.shrinkage(), c.warmupBars()), barsPerYear);
        this.constructed = new double[n];
        this.sized = new double[n];
        this.weights = new double[n];
        this.held = new double[n];
        this.targetShares = new double[n];
    }

    public List<String> symbols() {
        return symbols;
    }

    public KillSwitch killSwitch() {
        return killSwitch;
    }

    /** The drawdown ladder, for an operator's {@link DrawdownLadder#resume()}. */
    public DrawdownLadder drawdownLadder() {
        return ladder;
    }

    public RiskState riskState() {
        return state;
    }

    /**
     * Decides at the close of the bar starting {@code barStart}.
     *
     * @param close  the bar's closes per name ({@code NaN}: no bar); the reference prices for sizing
     * @param scores the model's scores for this bar
     * @param book   equity, holdings and open orders as of this bar's close
     */
    public Decision decide(Instant barStart, double[] close, Scores scores, Book book) {
        int i = grid.indexOf(barStart);
        if (i < 0) {
            throw new InvalidInputException("no decision at " + barStart + ": not a bar of the " + calendar.name() + " "
                    + grid.timeframe() + " session grid (outside the session, or off the grid)");
        }
        if (i <= lastIndex) {
            throw new InvalidInputException("decision at " + barStart + " after a decision at " + grid.start(lastIndex)
                    + ": bars must come in time order, once each");
        }
        requireLength("close", close.length);
        requireLength("scores", scores.values().length);
        requireLength("book.shares", book.shares().length);
        requireLength("book.pending", book.pending().length);
        lastIndex = i;
        state.covariance().observe(close);
        state.observeEquity(grid.sessionOf(i).date(), book.equity());
        state.modelIc(scores.ic());
        for (int k = 0; k < n; k++) {
            held[k] = book.shares()[k] + book.pending()[k];
        }

        RiskEvents events = new RiskEvents();
        boolean rebalance = schedule.isRebalance(grid, i);
        if (rebalance) {
            construction.weights(scores.values(), constructed);
            System.arraycopy(constructed, 0, sized, 0, n);
            for (RiskRule rule : sizing) {
                rule.apply(state, sized, events);
            }
        }
        // Protective rules act on the sized book every bar; they scale it as a whole.
        System.arraycopy(sized, 0, weights, 0, n);
        double before = RiskRule.gross(weights);
        for (RiskRule rule : protective) {
            rule.apply(state, weights, events);
        }
        double scale = before == 0 ? appliedScale : RiskRule.gross(weights) / before;

        KillSwitch.Engagement kill = killSwitch.engagement();
        List<OrderIntent> intents;
        if (rebalance) {
            intents = planner.plan(barStart, symbols, weights, book.equity(), close, held, targetShares, 0, kill);
        } else if (scale != appliedScale && appliedScale > 0 || kill != null) {
            // Held book, protective scale changed (or the switch is engaged): resize what is held.
            double ratio = kill != null || appliedScale == 0 ? 0 : scale / appliedScale;
            for (int k = 0; k < n; k++) {
                weights[k] = book.equity() > 0 && close[k] > 0 ? held[k] * close[k] / book.equity() * ratio : 0;
            }
            intents = planner.plan(barStart, symbols, weights, book.equity(), close, held, targetShares, 0, kill);
        } else {
            System.arraycopy(held, 0, targetShares, 0, n);
            intents = List.of();
            for (int k = 0; k < n; k++) {
                weights[k] = book.equity() > 0 && close[k] > 0 ? held[k] * close[k] / book.equity() : 0;
            }
        }
        if (rebalance || scale != appliedScale) {
            appliedScale = scale;
        }
        if (kill != null && !intents.isEmpty()) {
            log.warn("kill switch engaged ({}, {}): {} flattening order(s) at bar {}", kill.mode(), kill.reason(),
                    intents.size(), barStart);
        }
        return new Decision(barStart, scores.modelVersion(), rebalance, scores.values().clone(),
                rebalance ? constructed.clone() : null, weights.clone(), targetShares.clone(), events.list(), intents,
                kill, kill != null && kill.mode() == KillSwitch.Mode.HALT);
    }

    private void requireLength(String what, int length) {
        if (length != n) {
            throw new InvalidInputException(what + " has " + length + " values for " + n + " symbols");
        }
    }
}
