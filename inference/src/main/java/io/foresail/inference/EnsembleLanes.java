package io.foresail.inference;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads on which a stacked ensemble's members predict beside the bar's own thread
 * ({@link io.foresail.models.stacked.StackedEnsemble#predict(io.foresail.models.FeatureMatrix,
 * java.util.concurrent.Executor, int)}): a bar's time is then about its slowest member's instead of
 * their sum, where the cores are there. The predictions are the same bits either way. Reserved for
 * one {@link ChampionPredictor} (one bar at a time); daemon threads, stopped by {@link #close} (its
 * owner's, after the last bar).
 */
public final class EnsembleLanes implements AutoCloseable {
    private final int helpers;
    private final ExecutorService threads;

    /** {@code helpers} daemon threads beside the caller's (at least 1). */
    public EnsembleLanes(int helpers) {
        this(helpers, daemons());
    }

    /**
     * {@code helpers} threads beside the caller's (at least 1), made by {@code threads} (the
     * caller's names and priority; daemons, so that a forgotten close cannot hold the JVM), started
     * here: from the constructing thread, and before the first bar rather than during it.
     */
    public EnsembleLanes(int helpers, ThreadFactory threads) {
        if (helpers < 1) {
            throw new IllegalArgumentException("an ensemble's lanes need at least one helper thread, got " + helpers);
        }
        this.helpers = helpers;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(helpers, helpers, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), threads);
        pool.prestartAllCoreThreads();
        this.threads = pool;
    }

    private static ThreadFactory daemons() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "inference-member-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Threads besides the caller's. */
    public int helpers() {
        return helpers;
    }

    ExecutorService executor() {
        return threads;
    }

    /** Stops the threads once the member in progress (if any) has returned. */
    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            threads.shutdownNow();
        }
    }
}
