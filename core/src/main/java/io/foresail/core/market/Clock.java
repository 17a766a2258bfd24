package io.foresail.core.market;

import java.time.Instant;

/**
 * Where "now" comes from. The live services read the system clock; a replay (backtest, simulator
 * sessions, tests) moves a {@link ReplayClock} bar by bar, so that everything downstream of the
 * clock (the bar intake, the champion poller, the decision path's session checks) runs the same
 * code in both. Instants are UTC.
 */
public interface Clock {

    /** The current instant. */
    Instant now();

    /** The operating system's clock. */
    static Clock system() {
        return Instant::now;
    }
}
