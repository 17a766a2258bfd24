package io.foresail.trading.orders;

import io.foresail.core.error.InvalidInputException;
import io.foresail.trading.broker.Side;
import io.foresail.trading.risk.KillSwitch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns target weights into order intents: target shares (weight × equity / price, rounded
 * towards zero to whole shares, or to 1e-6 share where fractional trading is allowed for longs)
 * minus what is held and already on order. A name is left alone when its weight would move by
 * less than the no-trade band (unless the target is to close it) or the order would be worth less
 * than the minimum notional. An order that would take a position through zero is split into a
 * closing and an opening leg, since venues treat the two differently (Alpaca refuses to flip in
 * one order). An engaged {@link KillSwitch} is checked here too, so no caller can plan around it.
 * Immutable and thread-safe.
 */
public final class OrderPlanner {
    private static final double FRACTION = 1e6;

    private final String strategy;
    private final boolean fractional;
    private final double minNotional;
    private final double noTradeBand;
    private final java.util.Set<String> checked = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public OrderPlanner(String strategy, boolean fractional, double minNotional, double noTradeBand) {
        this.strategy = ClientOrderId.requireStrategy(strategy);
        if (!(minNotional >= 0)) {
            throw new InvalidInputException("orders.min_notional must be 0 or more dollars, got " + minNotional);
        }
        if (!(noTradeBand >= 0 && noTradeBand < 1)) {
            throw new InvalidInputException("no_trade_band must be in [0, 1) (a weight change), got " + noTradeBand);
        }
        this.fractional = fractional;
        this.minNotional = minNotional;
        this.noTradeBand = noTradeBand;
    }

    public String strategy() {
        return strategy;
    }

    /**
     * The intents for one decision.
     *
     * @param targetWeights signed fractions of equity, one per symbol
     * @param prices        reference prices (the decision bar's closes); a name without a price is
     *                      not traded
     * @param held          shares held plus shares on open orders, signed
     * @param targetShares  written: the target in shares per name (held where not traded)
     */
    public List<OrderIntent> plan(Instant barStart, List<String> symbols, double[] targetWeights, double equity,
                                  double[] prices, double[] held, double[] targetShares, int attempt,
                                  KillSwitch.Engagement kill) {
        List<OrderIntent> intents = new ArrayList<>();
        String bar = null;
        for (int i = 0; i < symbols.size(); i++) {
            double price = prices[i];
            double h = held[i];
            targetShares[i] = h;
            if (!(price > 0) || !(equity > 0) && targetWeights[i] != 0) {
                continue;
            }
            double w = targetWeights[i];
            double target = w == 0 ? 0 : shares(w * equity / price, w);
            if (kill != null) {
                if (kill.mode() == KillSwitch.Mode.HALT) {
                    continue;
                }
                target = 0; // FLATTEN: only towards zero.
            }
            double delta = target - h;
            if (delta == 0) {
                continue;
            }
            boolean closing = target == 0;
            if (!closing && Math.abs(w - h * price / equity) < noTradeBand) {
                continue;
            }
            if (!closing && Math.abs(delta) * price < minNotional) {
                continue;
            }
            targetShares[i] = target;
            String symbol = symbols.get(i);
            if (!checked.contains(symbol)) {
                checked.add(ClientOrderId.requireSymbol(symbol));
            }
            bar = bar == null ? ClientOrderId.bar(barStart) : bar;
            if (h != 0 && target != 0 && Math.signum(h) != Math.signum(target)) {
                intents.add(intent(bar, symbol, attempt, "c", -h, h, 0, price));
                intents.add(intent(bar, symbol, attempt, "o", target, 0, target, price));
            } else {
                intents.add(intent(bar, symbol, attempt, "", delta, h, target, price));
            }
        }
        return intents;
    }

    private OrderIntent intent(String bar, String symbol, int attempt, String leg, double delta, double held,
                               double target, double price) {
        return new OrderIntent(ClientOrderId.of(strategy, bar, symbol, attempt, leg), symbol, Side.of(delta),
                Math.abs(delta), held, target, price);
    }

    /** Rounds towards zero: whole shares, or millionths of a share for a fractional long. */
    private double shares(double exact, double weight) {
        if (fractional && weight > 0) {
            return Math.floor(exact * FRACTION) / FRACTION;
        }
        return exact >= 0 ? Math.floor(exact) : Math.ceil(exact);
    }
}
