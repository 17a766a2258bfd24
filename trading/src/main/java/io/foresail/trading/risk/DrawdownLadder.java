package io.foresail.trading.risk;

import io.foresail.core.error.InvalidInputException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts risk as the account falls from its high-water mark: each step names a drawdown and the
 * share of the book kept beyond it (default: 5 % keeps half, 10 % keeps nothing). A step that keeps
 * nothing also halts: the book stays flat until an operator calls {@link #resume()}, even if the
 * account recovers, because a strategy that lost that much needs a person's look first.
 */
public final class DrawdownLadder implements RiskRule {

    /** Beyond {@code drawdown} (0.05 = 5 % below the peak), keep {@code scale} of the book. */
    public record Step(double drawdown, double scale) {
        public Step {
            if (!(drawdown > 0 && drawdown < 1)) {
                throw new InvalidInputException("risk.drawdown_ladder: drawdown must be in (0, 1), got " + drawdown);
            }
            if (!(scale >= 0 && scale < 1)) {
                throw new InvalidInputException("risk.drawdown_ladder: scale must be in [0, 1), got " + scale);
            }
        }
    }

    private final List<Step> steps;
    /** The drawdown and the step that halted the book; null while trading. */
    private volatile double[] haltedAt;

    public DrawdownLadder(List<Step> steps) {
        List<Step> sorted = new ArrayList<>(steps);
        sorted.sort(Comparator.comparingDouble(Step::drawdown));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).scale() > sorted.get(i - 1).scale()) {
                throw new InvalidInputException("risk.drawdown_ladder: a deeper drawdown must not keep more of the book ("
                        + sorted.get(i - 1) + " then " + sorted.get(i) + ")");
            }
        }
        this.steps = List.copyOf(sorted);
    }

    public static DrawdownLadder defaults() {
        return new DrawdownLadder(List.of(new Step(0.05, 0.5), new Step(0.10, 0.0)));
    }

    @Override
    public String name() {
        return "drawdown_ladder";
    }

    public boolean halted() {
        return haltedAt != null;
    }

    /** An operator's decision to trade again after a halt. */
    public void resume() {
        haltedAt = null;
    }

    @Override
    public void apply(RiskState state, double[] weights, RiskEvents events) {
        double dd = state.drawdown();
        double gross = RiskRule.gross(weights);
        if (haltedAt == null) {
            Step reached = null;
            for (Step s : steps) {
                if (dd >= s.drawdown()) {
                    reached = s;
                }
            }
            if (reached == null) {
                return;
            }
            if (reached.scale() == 0) {
                haltedAt = new double[] {dd, reached.drawdown()};
            } else {
                RiskRule.scale(weights, reached.scale());
                events.add(name(), null, "drawdown %.4f beyond %.4f: book scaled down", dd, reached.drawdown(), gross,
                        gross * reached.scale());
                return;
            }
        }
        RiskRule.scale(weights, 0);
        double[] at = haltedAt;
        events.add(name(), null, "drawdown %.4f reached %.4f: flat and halted until resumed", at[0], at[1], gross, 0);
    }
}
