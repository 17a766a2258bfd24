package io.foresail.trading.risk;

import java.util.ArrayList;
import java.util.List;

/** The events of one decision, in the order the rules raised them. Not thread-safe: one per decision. */
public final class RiskEvents {
    private final List<RiskEvent> events = new ArrayList<>();

    public void add(String rule, String symbol, String reason, double before, double after) {
        events.add(new RiskEvent(rule, symbol, reason, before, after));
    }

    public List<RiskEvent> list() {
        return List.copyOf(events);
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }
}
