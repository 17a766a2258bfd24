package io.foresail.trading.risk;

import java.util.ArrayList;
import java.util.List;

/** The events of one decision, in the order the rules raised them. Not thread-safe: one per decision. */
public final class RiskEvents {
    private List<RiskEvent> events;

    /**
     * Records an event; {@code format} takes {@code value} and {@code limit} (in that order, as
     * {@code %f}-style numbers; a format may use fewer).
     */
    public void add(String rule, String scope, String format, double value, double limit, double before, double after) {
        if (events == null) {
            events = new ArrayList<>(4);
        }
        events.add(new RiskEvent(rule, scope, format, value, limit, before, after));
    }

    public List<RiskEvent> list() {
        return events == null ? List.of() : List.copyOf(events);
    }

    public boolean isEmpty() {
        return events == null;
    }
}
