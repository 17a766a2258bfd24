package io.foresail.trading.decision;

import io.foresail.trading.orders.OrderIntent;
import io.foresail.trading.risk.KillSwitch;
import io.foresail.trading.risk.RiskEvent;

import java.time.Instant;
import java.util.List;

/**
 * The record of one decision at a bar close: which bar (its start, UTC) and model version, the
 * scores, the weights portfolio construction asked for, the weights after every risk rule, the
 * target shares, each risk adjustment with its reason, and the intents sent. {@code rebalance}
 * says whether the book was rebuilt from the scores (otherwise it was held, and only the
 * protective rules could act); {@code cancelOpenOrders} is set by an engaged kill switch in HALT.
 * The arrays are the record's own copies, in the path's symbol order.
 */
public record Decision(Instant barStart, String modelVersion, boolean rebalance, double[] scores,
                       double[] constructedWeights, double[] targetWeights, double[] targetShares,
                       List<RiskEvent> riskEvents, List<OrderIntent> intents, KillSwitch.Engagement killSwitch,
                       boolean cancelOpenOrders) {
}
