package io.foresail.core.market;

import io.foresail.core.error.InvalidInputException;

import java.time.Instant;
import java.util.Objects;

/**
 * A clock that only moves when told to, and only forward: a replay's "now". Moving it backwards is
 * an error, because a replay that re-lived an instant could see a later bar's data as the past.
 * Safe to read from any thread; one thread (the replay) moves it.
 */
public final class ReplayClock implements Clock {
    private volatile Instant now;

    public ReplayClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public Instant now() {
        return now;
    }

    /** Moves to {@code t}; {@code t} equal to now is allowed (two events at one instant). */
    public void advanceTo(Instant t) {
        if (t.isBefore(now)) {
            throw new InvalidInputException("replay clock cannot go back from " + now + " to " + t);
        }
        now = t;
    }
}
