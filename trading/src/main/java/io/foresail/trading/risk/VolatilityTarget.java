package io.foresail.trading.risk;

import io.foresail.core.error.InvalidInputException;

/**
 * Scales the whole book so its predicted annualised volatility (shrunk realised covariance) meets
 * the target, up to {@code maxScale} times the constructed book. Until the covariance has seen its
 * warm-up bars the book is held flat: sizing on an unmeasured risk is the one thing this rule
 * exists to prevent.
 */
public final class VolatilityTarget implements RiskRule {
    private final double target;
    private final double maxScale;

    public VolatilityTarget(double targetAnnualVolatility, double maxScale) {
        if (!(targetAnnualVolatility > 0 && targetAnnualVolatility <= 2)) {
            throw new InvalidInputException("risk.target_volatility must be in (0, 2] (annualised, 0.10 = 10 %), got "
                    + targetAnnualVolatility);
        }
        if (!(maxScale > 0)) {
            throw new InvalidInputException("risk.max_scale must be positive, got " + maxScale);
        }
        this.target = targetAnnualVolatility;
        this.maxScale = maxScale;
    }

    @Override
    public String name() {
        return "volatility_target";
    }

    @Override
    public void apply(RiskState state, double[] weights, RiskEvents events) {
        double gross = RiskRule.gross(weights);
        if (gross == 0) {
            return;
        }
        CovarianceEstimate c = state.covariance();
        if (!c.isWarm()) {
            RiskRule.scale(weights, 0);
            events.add(name(), null, "covariance warming up: %.0f of %.0f bars", c.observed(), c.warmupBars(), gross, 0);
            return;
        }
        double predicted = state.annualVolatility(weights);
        if (predicted == 0) {
            return;
        }
        double factor = Math.min(maxScale, target / predicted);
        RiskRule.scale(weights, factor);
        events.add(name(), null, "predicted volatility %.4f scaled to %.4f", predicted, predicted * factor, gross,
                gross * factor);
    }
}
