package io.foresail.alpacasim.clock;

import io.foresail.core.market.Clock;

import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The simulator's clock: market time replayed from a chosen start at real time × {@code speed}
 * (×60 plays an hour a minute), or held still and moved only by {@link #advanceTo} (speed 0, the
 * stepped mode tests use). Market time never goes backwards. Thread-safe.
 */
public final class SimClock implements Clock {
    private final LongSupplier nanoTime;
    private Instant anchor;
    private long anchorNanos;
    private double speed;

    /** A clock at {@code start}, running at {@code speed} (0 = stepped). */
    public SimClock(Instant start, double speed) {
        this(start, speed, System::nanoTime);
    }

    SimClock(Instant start, double speed, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.anchor = start;
        this.anchorNanos = nanoTime.getAsLong();
        setSpeedChecked(speed);
    }

    @Override
    public synchronized Instant now() {
        if (speed == 0) {
            return anchor;
        }
        long elapsed = nanoTime.getAsLong() - anchorNanos;
        return anchor.plusNanos((long) (elapsed * speed));
    }

    /** Market seconds per real second; 0 holds the clock still. */
    public synchronized double speed() {
        return speed;
    }

    /** Changes the speed from now on (market time keeps its current value). */
    public synchronized void setSpeed(double speed) {
        Instant at = now();
        setSpeedChecked(speed);
        anchor = at;
        anchorNanos = nanoTime.getAsLong();
    }

    /** Moves market time forward to {@code t} (never back: an earlier {@code t} is ignored). */
    public synchronized void advanceTo(Instant t) {
        Instant at = now();
        anchor = t.isAfter(at) ? t : at;
        anchorNanos = nanoTime.getAsLong();
    }

    /** Puts market time back to {@code t}: only for a reset of the whole simulator. */
    public synchronized void resetTo(Instant t) {
        anchor = t;
        anchorNanos = nanoTime.getAsLong();
    }

    private void setSpeedChecked(double speed) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be 0 (stepped) or a positive multiple of real time, got " + speed);
        }
        this.speed = speed;
    }
}
