package io.foresail.trading.risk;

import io.foresail.core.error.InvalidInputException;

/**
 * Gross exposure (sum of |weights|) at most {@code maxGross} and net exposure (sum of weights) at
 * most {@code maxNet} in size, long or short. A net breach is cut by scaling down the heavier side
 * only, so the book keeps its hedge.
 */
public final class ExposureLimit implements RiskRule {
    private final double maxGross;
    private final double maxNet;

    public ExposureLimit(double maxGross, double maxNet) {
        if (!(maxGross > 0 && maxGross <= 10)) {
            throw new InvalidInputException("risk.max_gross must be in (0, 10] (1.0 = 100 % of equity), got " + maxGross);
        }
        if (!(maxNet >= 0 && maxNet <= maxGross)) {
            throw new InvalidInputException("risk.max_net must be in [0, max_gross], got " + maxNet);
        }
        this.maxGross = maxGross;
        this.maxNet = maxNet;
    }

    @Override
    public String name() {
        return "exposure_limit";
    }

    @Override
    public void apply(RiskState state, double[] weights, RiskEvents events) {
        double gross = RiskRule.gross(weights);
        if (gross > maxGross) {
            RiskRule.scale(weights, maxGross / gross);
            events.add(name(), null, "gross %.4f above %.4f", gross, maxGross, gross, maxGross);
        }
        double net = RiskRule.net(weights);
        if (Math.abs(net) > maxNet + 1e-12) {
            double heavy = 0;
            for (double w : weights) {
                heavy += net > 0 ? Math.max(0, w) : Math.max(0, -w);
            }
            // Scale the heavy side so that it exceeds the light side by exactly maxNet.
            double light = heavy - Math.abs(net);
            double factor = (light + maxNet) / heavy;
            for (int i = 0; i < weights.length; i++) {
                if (net > 0 ? weights[i] > 0 : weights[i] < 0) {
                    weights[i] *= factor;
                }
            }
            events.add(name(), null, "net %.4f beyond ±%.4f", net, maxNet, net, RiskRule.net(weights));
        }
    }
}
