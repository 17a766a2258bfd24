package io.foresail.trading.risk;

import io.foresail.core.error.InvalidInputException;

/**
 * Fractional Kelly from the model's measured skill. By the fundamental law of active management a
 * strategy with information coefficient IC over {@code breadth} independent bets a year has an
 * expected Sharpe ratio of about IC·√breadth, and the growth-optimal (Kelly) book runs at a
 * volatility equal to that Sharpe ratio. This rule caps the book's predicted volatility at
 * {@code fraction} of it, and flattens a model whose measured IC is not positive (no edge, no
 * bet). Without a measured IC the rule does nothing.
 */
public final class KellyCap implements RiskRule {
    private final double fraction;
    private final double breadthPerYear;

    public KellyCap(double fraction, double breadthPerYear) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new InvalidInputException("risk.kelly.fraction must be in (0, 1] (0.25 = quarter Kelly), got " + fraction);
        }
        if (!(breadthPerYear >= 1)) {
            throw new InvalidInputException("risk.kelly.breadth_per_year must be at least 1, got " + breadthPerYear);
        }
        this.fraction = fraction;
        this.breadthPerYear = breadthPerYear;
    }

    @Override
    public String name() {
        return "kelly_cap";
    }

    /** The volatility cap for a measured {@code ic}. */
    public double volatilityCap(double ic) {
        return fraction * ic * Math.sqrt(breadthPerYear);
    }

    @Override
    public void apply(RiskState state, double[] weights, RiskEvents events) {
        double ic = state.modelIc();
        double gross = RiskRule.gross(weights);
        if (Double.isNaN(ic) || gross == 0) {
            return;
        }
        if (ic <= 0) {
            RiskRule.scale(weights, 0);
            events.add(name(), null, "model IC %.4f is not positive: no edge, no position", ic, 0, gross, 0);
            return;
        }
        double cap = volatilityCap(ic);
        double predicted = state.annualVolatility(weights);
        if (predicted > cap) {
            double factor = cap / predicted;
            RiskRule.scale(weights, factor);
            events.add(name(), null, "predicted volatility %.4f above the fractional Kelly volatility %.4f", predicted, cap,
                    gross, gross * factor);
        }
    }
}
