package io.foresail.trading.risk;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's stop. Engaged, it overrides every other rule and the order planner: in
 * {@link Mode#HALT} nothing is sent and open orders are cancelled; in {@link Mode#FLATTEN} only
 * orders that reduce positions towards zero are sent. It stays engaged until {@link #release}:
 * nothing in the decision path can release it. Thread-safe (an HTTP handler engages it while the
 * bar thread decides).
 */
public final class KillSwitch {

    /** What an engaged switch allows. */
    public enum Mode {
        /** No orders at all; open orders are cancelled. */
        HALT,
        /** Only orders that bring positions to zero. */
        FLATTEN
    }

    /** Why and when it was engaged, and by whom. */
    public record Engagement(Mode mode, String reason, String by, Instant at) {
    }

    private final AtomicReference<Engagement> state = new AtomicReference<>();

    public void engage(Mode mode, String reason, String by, Instant at) {
        state.set(new Engagement(Objects.requireNonNull(mode), Objects.requireNonNull(reason), by, at));
    }

    public void release() {
        state.set(null);
    }

    /** The current engagement, or {@code null} when trading is allowed. */
    public Engagement engagement() {
        return state.get();
    }

    public boolean engaged() {
        return state.get() != null;
    }
}
