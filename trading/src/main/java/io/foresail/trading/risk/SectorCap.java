package io.foresail.trading.risk;

import io.foresail.core.error.InvalidInputException;

/**
 * No sector's gross exposure (long plus short) above {@code max} of equity: the sector's names are
 * scaled down together, keeping their proportions.
 */
public final class SectorCap implements RiskRule {
    private final double max;
    private double[] gross = new double[0];

    public SectorCap(double max) {
        if (!(max > 0 && max <= 1)) {
            throw new InvalidInputException("risk.max_sector must be in (0, 1] (0.40 = 40 % of equity), got " + max);
        }
        this.max = max;
    }

    @Override
    public String name() {
        return "sector_cap";
    }

    @Override
    public void apply(RiskState state, double[] weights, RiskEvents events) {
        int sectors = state.sectors().size();
        if (gross.length != sectors) {
            gross = new double[sectors];
        }
        java.util.Arrays.fill(gross, 0);
        for (int i = 0; i < weights.length; i++) {
            gross[state.sectorOf(i)] += Math.abs(weights[i]);
        }
        for (int s = 0; s < sectors; s++) {
            if (gross[s] > max) {
                double factor = max / gross[s];
                for (int i = 0; i < weights.length; i++) {
                    if (state.sectorOf(i) == s) {
                        weights[i] *= factor;
                    }
                }
                events.add(name(), state.sectors().get(s), "sector gross %.4f above the cap %.4f", gross[s], max, gross[s],
                        max);
            }
        }
    }
}
