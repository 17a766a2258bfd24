package io.foresail.livetrader.alpaca;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * When a stream connects again: exponential back-off from 200 ms to 30 s with full jitter on its
 * upper half (so many clients do not reconnect in step), reset once a connection succeeds, and
 * never sooner than a server asked ({@code atLeast}, e.g. after a 406). Thread-safe; closing it
 * cancels what is scheduled.
 */
final class Reconnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);
    private static final long FIRST_MS = 200;
    private static final long MAX_MS = 30_000;

    private final String stream;
    private final Runnable connect;
    private final ScheduledExecutorService timer;
    private int failures;
    private long reconnects;
    private boolean closed;

    Reconnector(String stream, Runnable connect) {
        this.stream = stream;
        this.connect = connect;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alpaca-" + stream + "-reconnect");
            t.setDaemon(true);
            return t;
        });
    }

    /** Schedules the next connection attempt after a failure ({@code atLeast}: a floor the server set, or null). */
    synchronized void schedule(String why, Duration atLeast) {
        if (closed) {
            return;
        }
        failures++;
        reconnects++;
        long base = Math.min(MAX_MS, FIRST_MS << Math.min(failures - 1, 10));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        if (atLeast != null) {
            delay = Math.max(delay, atLeast.toMillis());
        }
        LOG.warn("{}: {}; reconnecting in {} ms", stream, why, delay);
        timer.schedule(connect, delay, TimeUnit.MILLISECONDS);
    }

    /** A connection is up and subscribed: the back-off starts over. */
    synchronized void succeeded() {
        failures = 0;
    }

    synchronized long reconnects() {
        return reconnects;
    }

    @Override
    public synchronized void close() {
        closed = true;
        timer.shutdownNow();
    }
}
