package io.foresail.pipelines.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What happens to a CPU's caches between two bars of a market, for a benchmark's timed loop: the
 * other work of the process and of the machine (minute bars, fills, the collector) runs through
 * the caches in the quarter hour between two bar closes, so a bar's prediction starts with its
 * weights, code and inputs evicted. {@link #evict} writes through a buffer larger than the last-level
 * cache; with a size of 0 it does nothing (the hot loop of earlier figures). Not thread-safe.
 */
final class ColdCaches {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int LINE = 64;
    private final byte[] sweep;
    private byte round;

    ColdCaches(int megabytes) {
        if (megabytes < 0) {
            throw new IllegalArgumentException("cache sweep of " + megabytes + " MB; give 0 or more");
        }
        this.sweep = new byte[megabytes << 20];
    }

    /** Pushes everything the timed work left in the caches out, if this sweep has a size. */
    void evict() {
        round++;
        for (int i = 0; i < sweep.length; i += LINE) {
            sweep[i] = round;
        }
    }

    String describe() {
        return sweep.length == 0 ? "kept (the same work back to back)" : (sweep.length >> 20) + " MB written through before each bar";
    }

    /** The calling thread's CPU time, nanoseconds. */
    static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
