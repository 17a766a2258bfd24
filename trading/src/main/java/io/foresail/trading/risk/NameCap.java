package io.foresail.trading.risk;

import io.foresail.core.error.InvalidInputException;

/** No single name above {@code max} of equity, long or short (default 20 %). */
public final class NameCap implements RiskRule {
    private final double max;

    public NameCap(double max) {
        if (!(max > 0 && max <= 1)) {
            throw new InvalidInputException("risk.max_name must be in (0, 1] (0.20 = 20 % of equity), got " + max);
        }
        this.max = max;
    }

    @Override
    public String name() {
        return "name_cap";
    }

    @Override
    public void apply(RiskState state, double[] weights, RiskEvents events) {
        for (int i = 0; i < weights.length; i++) {
            double w = weights[i];
            if (Math.abs(w) > max) {
                weights[i] = Math.copySign(max, w);
                events.add(name(), state.symbol(i), "weight %.4f beyond the cap %.4f", w, max, w, weights[i]);
            }
        }
    }
}
