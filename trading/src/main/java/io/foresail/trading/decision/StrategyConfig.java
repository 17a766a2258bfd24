package io.foresail.trading.decision;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.error.InvalidInputException;
import io.foresail.trading.orders.ClientOrderId;
import io.foresail.trading.risk.CovarianceEstimate;
import io.foresail.trading.risk.DailyLossLimit;
import io.foresail.trading.risk.DrawdownLadder;
import io.foresail.trading.risk.ExposureLimit;
import io.foresail.trading.risk.KellyCap;
import io.foresail.trading.risk.NameCap;
import io.foresail.trading.risk.SectorCap;
import io.foresail.trading.risk.VolatilityTarget;

import java.util.List;

/**
 * The decision path's settings, the {@code strategy} section of {@code config/backtest.yaml} and of
 * the trader's configuration (the same section, so the live trader runs what was backtested).
 * Every field is optional; out-of-range values are errors naming the field, found before any work.
 *
 * <pre>
 * name: foresail                 # starts every client order id
 * portfolio: {construction: long_short_quantiles, k: 10}   # long_only_top_k | score_weighted[_long_only]
 * rebalance: {every_bars: 26}    # or {at: ["15:45", close]} (bar closes, exchange time)
 * no_trade_band: 0.01            # weight change below which a name is left alone
 * risk:
 *   target_volatility: 0.10      # annualised; 0 or absent switches the volatility target off
 *   max_scale: 2.0               # the most the volatility target may lever the constructed book
 *   covariance: {halflife_bars: 260, shrinkage: 0.3, warmup_bars: 130}
 *   kelly: {fraction: 0.25, breadth_per_year: 12600}
 *   max_name: 0.20
 *   max_sector: 0.40
 *   max_gross: 1.0
 *   max_net: 1.0
 *   drawdown_ladder: [{drawdown: 0.05, scale: 0.5}, {drawdown: 0.10, scale: 0.0}]
 *   daily_loss_limit: 0.02
 * orders: {fractional: false, min_notional: 1.0}
 * </pre>
 */
public record StrategyConfig(@JsonProperty("name") String name,
                             @JsonProperty("portfolio") Portfolio portfolio,
                             @JsonProperty("rebalance") Rebalance rebalance,
                             @JsonProperty("no_trade_band") Double noTradeBand,
                             @JsonProperty("risk") Risk risk,
                             @JsonProperty("orders") Orders orders) {

    public StrategyConfig {
        name = ClientOrderId.requireStrategy(name == null ? "foresail" : name);
        portfolio = portfolio == null ? new Portfolio(null, null) : portfolio;
        rebalance = rebalance == null ? new Rebalance(null, null) : rebalance;
        noTradeBand = noTradeBand == null ? 0.0 : noTradeBand;
        if (!(noTradeBand >= 0 && noTradeBand < 1)) {
            throw new InvalidInputException("no_trade_band must be in [0, 1) (a weight change), got " + noTradeBand);
        }
        risk = risk == null ? new Risk(null, null, null, null, null, null, null, null, null, null) : risk;
        orders = orders == null ? new Orders(null, null) : orders;
    }

    public static StrategyConfig defaults() {
        return new StrategyConfig(null, null, null, null, null, null);
    }

    /** How scores become weights. */
    public record Portfolio(@JsonProperty("construction") String construction, @JsonProperty("k") Integer k) {
        public static final List<String> CONSTRUCTIONS = List.of("long_only_top_k", "long_short_quantiles",
                "score_weighted", "score_weighted_long_only");

        public Portfolio {
            construction = construction == null ? "long_short_quantiles" : construction;
            if (!CONSTRUCTIONS.contains(construction)) {
                throw new InvalidInputException("portfolio.construction '" + construction + "' is not one of " + CONSTRUCTIONS);
            }
            k = k == null ? 10 : k;
            if (k < 1) {
                throw new InvalidInputException("portfolio.k must be at least 1, got " + k);
            }
        }
    }

    /** When the book is rebuilt: {@code every_bars} or {@code at}, not both. */
    public record Rebalance(@JsonProperty("every_bars") Integer everyBars, @JsonProperty("at") List<String> at) {
        public Rebalance {
            if (everyBars != null && at != null) {
                throw new InvalidInputException("rebalance: give every_bars or at, not both");
            }
            if (everyBars == null && at == null) {
                everyBars = 1;
            }
            if (everyBars != null && everyBars < 1) {
                throw new InvalidInputException("rebalance.every_bars must be at least 1, got " + everyBars);
            }
            at = at == null ? null : List.copyOf(at);
        }
    }

    /** The realised covariance behind the volatility target and the Kelly cap. */
    public record Covariance(@JsonProperty("halflife_bars") Double halfLifeBars,
                             @JsonProperty("shrinkage") Double shrinkage,
                             @JsonProperty("warmup_bars") Integer warmupBars) {
        public Covariance {
            halfLifeBars = halfLifeBars == null ? 260.0 : halfLifeBars;
            shrinkage = shrinkage == null ? 0.3 : shrinkage;
            warmupBars = warmupBars == null ? 130 : warmupBars;
        }
    }

    /** Fractional Kelly: off when absent. */
    public record Kelly(@JsonProperty("fraction") Double fraction, @JsonProperty("breadth_per_year") Double breadthPerYear) {
        public Kelly {
            fraction = fraction == null ? 0.25 : fraction;
        }

        /** Independent bets a year: as given, else one a session per name. */
        public double breadth(int names) {
            return breadthPerYear != null ? breadthPerYear : names * 252.0;
        }
    }

    /** The risk rules' limits; see {@code io.foresail.trading.risk}. */
    public record Risk(@JsonProperty("target_volatility") Double targetVolatility,
                       @JsonProperty("max_scale") Double maxScale,
                       @JsonProperty("covariance") Covariance covariance,
                       @JsonProperty("kelly") Kelly kelly,
                       @JsonProperty("max_name") Double maxName,
                       @JsonProperty("max_sector") Double maxSector,
                       @JsonProperty("max_gross") Double maxGross,
                       @JsonProperty("max_net") Double maxNet,
                       @JsonProperty("drawdown_ladder") List<DrawdownLadder.Step> drawdownLadder,
                       @JsonProperty("daily_loss_limit") Double dailyLossLimit) {
        public Risk {
            targetVolatility = targetVolatility == null ? 0.10 : targetVolatility;
            maxScale = maxScale == null ? 2.0 : maxScale;
            covariance = covariance == null ? new Covariance(null, null, null) : covariance;
            maxName = maxName == null ? 0.20 : maxName;
            maxSector = maxSector == null ? 0.40 : maxSector;
            maxGross = maxGross == null ? 1.0 : maxGross;
            maxNet = maxNet == null ? maxGross : maxNet;
            drawdownLadder = drawdownLadder == null
                    ? List.of(new DrawdownLadder.Step(0.05, 0.5), new DrawdownLadder.Step(0.10, 0.0))
                    : List.copyOf(drawdownLadder);
            dailyLossLimit = dailyLossLimit == null ? 0.02 : dailyLossLimit;
            // Each rule checks its own limits; building them here reports a bad value where the
            // file is read, before any work starts.
            if (targetVolatility != 0) {
                new VolatilityTarget(targetVolatility, maxScale);
            }
            new CovarianceEstimate(1, covariance.halfLifeBars(), covariance.shrinkage(), covariance.warmupBars());
            if (kelly != null) {
                new KellyCap(kelly.fraction(), kelly.breadth(1));
            }
            new NameCap(maxName);
            new SectorCap(maxSector);
            new ExposureLimit(maxGross, maxNet);
            new DrawdownLadder(drawdownLadder);
            new DailyLossLimit(dailyLossLimit);
        }
    }

    /** Order sizing. */
    public record Orders(@JsonProperty("fractional") Boolean fractional, @JsonProperty("min_notional") Double minNotional) {
        public Orders {
            fractional = fractional != null && fractional;
            minNotional = minNotional == null ? 1.0 : minNotional;
        }
    }
}
