package io.foresail.trading.risk;

import io.foresail.core.error.InvalidInputException;

import java.time.LocalDate;

/**
 * Flattens the book for the rest of the session once the account has lost {@code limit} of its
 * equity at the session's first decision (default 2 %); the next session trades again.
 */
public final class DailyLossLimit implements RiskRule {
    private final double limit;
    private LocalDate stoppedOn;

    public DailyLossLimit(double limit) {
        if (!(limit > 0 && limit < 1)) {
            throw new InvalidInputException("risk.daily_loss_limit must be in (0, 1) (0.02 = 2 %), got " + limit);
        }
        this.limit = limit;
    }

    @Override
    public String name() {
        return "daily_loss_limit";
    }

    @Override
    public void apply(RiskState state, double[] weights, RiskEvents events) {
        double loss = state.sessionLoss();
        if (loss >= limit && !state.session().equals(stoppedOn)) {
            stoppedOn = state.session();
        }
        if (state.session().equals(stoppedOn)) {
            double gross = RiskRule.gross(weights);
            RiskRule.scale(weights, 0);
            events.add(name(), null, "session loss %.4f reached the limit %.4f: flat until the next session",
                    Math.max(loss, limit), limit, gross, 0);
        }
    }
}
