package io.foresail.trading.risk;

/**
 * One risk rule of the decision path: reads the book's state, adjusts the target weights in
 * place (fractions of equity, signed), and says what it did and why as events. A rule only ever
 * reduces or rescales risk; rules run in the configured order, the kill switch after all of them.
 */
public interface RiskRule {

    /** The rule's name in events and decision records, e.g. {@code name_cap}. */
    String name();

    void apply(RiskState state, double[] weights, RiskEvents events);

    static double gross(double[] weights) {
        double g = 0;
        for (double w : weights) {
            g += Math.abs(w);
        }
        return g;
    }

    static double net(double[] weights) {
        double n = 0;
        for (double w : weights) {
            n += w;
        }
        return n;
    }

    static void scale(double[] weights, double factor) {
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= factor;
        }
    }
}
