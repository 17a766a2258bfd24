package io.foresail.livetrader.service;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The calling thread's clocks, in nanoseconds since it started: the CPU time it has used, and
 * (Linux only, from {@code /proc/thread-self/schedstat}) the time it spent runnable but waiting
 * for a core. A bar's latency less its broker round trips is the first, plus the second, plus
 * waits for the disk and for locks: on a machine whose cores are shared with other busy
 * processes, the second says how much of a slow bar was the machine's. Read by the thread itself,
 * at the start and end of what it measures.
 */
record ThreadTimes(long cpuNanos, long waitingNanos) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");
    /** Whether the kernel reports run-queue time (Linux with schedstats); checked once. */
    private static final boolean RUN_QUEUE = readWaiting() >= 0;

    /** The calling thread's clocks now; {@code waitingNanos} is -1 where the kernel does not report it. */
    static ThreadTimes now() {
        return new ThreadTimes(THREADS.getCurrentThreadCpuTime(), RUN_QUEUE ? readWaiting() : -1);
    }

    /** The time from {@code start} to this reading: CPU, and waiting for a core (-1 if unknown). */
    ThreadTimes since(ThreadTimes start) {
        return new ThreadTimes(cpuNanos - start.cpuNanos,
                waitingNanos < 0 || start.waitingNanos < 0 ? -1 : waitingNanos - start.waitingNanos);
    }

    /** The second of schedstat's three fields: nanoseconds runnable on a run queue; -1 if unreadable. */
    private static long readWaiting() {
        try {
            String[] fields = Files.readString(SCHEDSTAT).trim().split(" ");
            return fields.length >= 2 ? Long.parseLong(fields[1]) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
