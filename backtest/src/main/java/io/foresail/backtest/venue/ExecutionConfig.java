package io.foresail.backtest.venue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.error.InvalidInputException;

/**
 * How the simulated venue fills and what it costs, the {@code execution} section of
 * {@code config/backtest.yaml}. Orders decided at bar t's close fill in bar t+1 at the earliest.
 *
 * <pre>
 * fill: next_open             # next_open | next_vwap | limit (limit orders fill when the bar touches)
 * starting_cash: 100000       # dollars
 * commission: {per_share: 0.0, minimum: 0.0, bps: 0.0}
 * half_spread_bps: 1.0        # paid on every fill, against the trader
 * slippage_bps: 0.5
 * impact_bps: 10.0            # square-root impact: impact_bps × sqrt(shares / bar volume)
 * participation_cap: 0.10     # at most this share of the bar's volume per order per bar
 * remainder: carry            # carry (until filled or the session ends) | cancel
 * shorting: {allowed: true, borrow_bps_per_year: 50}
 * partial_fills: {probability: 0.0, seed: 0}   # seeded random partial executions, as Alpaca paper makes
 * </pre>
 * Every field optional; a negative cost or a cap outside (0, 1] is an error naming the field.
 */
public record ExecutionConfig(@JsonProperty("fill") String fill,
                              @JsonProperty("starting_cash") Double startingCash,
                              @JsonProperty("commission") Commission commission,
                              @JsonProperty("half_spread_bps") Double halfSpreadBps,
                              @JsonProperty("slippage_bps") Double slippageBps,
                              @JsonProperty("impact_bps") Double impactBps,
                              @JsonProperty("participation_cap") Double participationCap,
                              @JsonProperty("remainder") String remainder,
                              @JsonProperty("shorting") Shorting shorting,
                              @JsonProperty("partial_fills") PartialFills partialFills) {

    /** Which price of the next bar a market order gets. */
    public enum FillPrice { NEXT_OPEN, NEXT_VWAP }

    public ExecutionConfig {
        fill = fill == null ? "next_open" : fill;
        if (!fill.equals("next_open") && !fill.equals("next_vwap") && !fill.equals("limit")) {
            throw new InvalidInputException("execution.fill '" + fill + "' is not one of next_open, next_vwap, limit");
        }
        startingCash = startingCash == null ? 100_000.0 : startingCash;
        if (!(startingCash > 0) || startingCash.isInfinite()) {
            throw new InvalidInputException("execution.starting_cash must be positive dollars, got " + startingCash);
        }
        commission = commission == null ? new Commission(null, null, null) : commission;
        halfSpreadBps = nonNegative("execution.half_spread_bps", halfSpreadBps, 1.0);
        slippageBps = nonNegative("execution.slippage_bps", slippageBps, 0.5);
        impactBps = nonNegative("execution.impact_bps", impactBps, 10.0);
        participationCap = participationCap == null ? 0.10 : participationCap;
        if (!(participationCap > 0 && participationCap <= 1)) {
            throw new InvalidInputException("execution.participation_cap must be in (0, 1] (a share of the bar's volume), got "
                    + participationCap);
        }
        remainder = remainder == null ? "carry" : remainder;
        if (!remainder.equals("carry") && !remainder.equals("cancel")) {
            throw new InvalidInputException("execution.remainder '" + remainder + "' is not carry or cancel");
        }
        shorting = shorting == null ? new Shorting(null, null) : shorting;
        partialFills = partialFills == null ? new PartialFills(null, null) : partialFills;
    }

    public static ExecutionConfig defaults() {
        return new ExecutionConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** The same settings without any cost: for checks against peers that model none. */
    public ExecutionConfig withoutCosts() {
        return new ExecutionConfig(fill, startingCash, new Commission(0.0, 0.0, 0.0), 0.0, 0.0, 0.0, participationCap,
                remainder, new Shorting(shorting.allowed(), 0.0), partialFills);
    }

    public FillPrice fillPrice() {
        return fill.equals("next_vwap") ? FillPrice.NEXT_VWAP : FillPrice.NEXT_OPEN;
    }

    public boolean carryRemainder() {
        return remainder.equals("carry");
    }

    static double nonNegative(String field, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new InvalidInputException(field + " must be 0 or more, got " + v);
        }
        return v;
    }

    /** Commission per fill: per share with a minimum per fill, plus basis points of the notional. */
    public record Commission(@JsonProperty("per_share") Double perShare, @JsonProperty("minimum") Double minimum,
                             @JsonProperty("bps") Double bps) {
        public Commission {
            perShare = nonNegative("execution.commission.per_share", perShare, 0.0);
            minimum = nonNegative("execution.commission.minimum", minimum, 0.0);
            bps = nonNegative("execution.commission.bps", bps, 0.0);
        }

        /** Dollars for a fill of {@code shares} at {@code price}. */
        public double of(double shares, double price) {
            double c = shares * perShare + shares * price * bps * 1e-4;
            return perShare > 0 || minimum > 0 ? Math.max(minimum, c) : c;
        }
    }

    /** Short selling: whether allowed, and the borrow fee on short market value. */
    public record Shorting(@JsonProperty("allowed") Boolean allowed,
                           @JsonProperty("borrow_bps_per_year") Double borrowBpsPerYear) {
        public Shorting {
            allowed = allowed == null || allowed;
            borrowBpsPerYear = nonNegative("execution.shorting.borrow_bps_per_year", borrowBpsPerYear, 50.0);
        }
    }

    /**
     * Seeded random partial fills: with {@code probability} per execution, a fill takes only 10 to
     * 90 % of what it could (the rest stays open), as Alpaca's paper venue does now and then.
     */
    public record PartialFills(@JsonProperty("probability") Double probability, @JsonProperty("seed") Long seed) {
        public PartialFills {
            probability = probability == null ? 0.0 : probability;
            if (!(probability >= 0 && probability <= 1)) {
                throw new InvalidInputException("execution.partial_fills.probability must be in [0, 1], got " + probability);
            }
            seed = seed == null ? 0L : seed;
        }
    }
}
