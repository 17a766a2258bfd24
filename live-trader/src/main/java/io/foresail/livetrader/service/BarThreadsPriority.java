package io.foresail.livetrader.service;

import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operating system's priority for the threads on a bar's path (the bar thread, a stacked
 * ensemble's member threads, the broker request threads), set on each of those threads alone, in
 * one of two forms:
 * <ul>
 *   <li>{@link Policy#NICE}: a Linux nice value, -20 (served first) to 19 (last). The trader's
 *   other threads, the JVM's compiler and the host's other processes then get less of a core while
 *   a bar runs; the kernel's fair scheduler still shares it with them. As Linux does, a thread
 *   first started from one of these inherits the value.</li>
 *   <li>{@link Policy#REALTIME}: Linux's {@code SCHED_FIFO} at a priority of 1 to 99. A bar's
 *   thread that wakes takes a core from any ordinary thread at once, and a second one goes to the
 *   other core instead of queueing behind the first: nothing of the fair scheduler's placement and
 *   time slices is left between a bar and the cores. Threads these start run as ordinary threads
 *   ({@code SCHED_RESET_ON_FORK}). The bar's threads block while they wait (the broker, the disk, a
 *   member's result) and never spin, so the rest of the host keeps the cores between bars; the
 *   kernel's realtime throttling keeps a share for it even then.</li>
 * </ul>
 *
 * <p>A nice below the process's own, and any realtime priority, need the privilege
 * ({@code CAP_SYS_NICE}, or a raised {@code RLIMIT_NICE} / {@code RLIMIT_RTPRIO}: systemd's
 * {@code LimitNICE=} / {@code LimitRTPRIO=}). {@link #verify} tries it once at start, so a trader
 * that cannot have what its configuration asks for refuses to start instead of trading slower than
 * its operator believes. Linux only.
 */
public record BarThreadsPriority(Policy policy, int value) {
    private static final Logger LOG = LoggerFactory.getLogger(BarThreadsPriority.class);
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    static final String NICE_FIELD = "bars.threads_nice";
    static final String REALTIME_FIELD = "bars.threads_realtime";
    /** Linux's {@code SCHED_FIFO}, as {@code /proc/<tid>/stat} reports a thread's policy. */
    static final int SCHED_FIFO = 1;

    /** How the priority is given. */
    public enum Policy {
        /** The fair scheduler's weight: a Linux nice value. */
        NICE,
        /** {@code SCHED_FIFO} at a realtime priority. */
        REALTIME
    }

    public BarThreadsPriority {
        java.util.Objects.requireNonNull(policy, "policy");
        if (policy == Policy.NICE && (value < -20 || value > 19)) {
            throw new InvalidInputException(NICE_FIELD + " must be -20 to 19 (a Linux nice value), got " + value);
        }
        if (policy == Policy.REALTIME && (value < 1 || value > 99)) {
            throw new InvalidInputException(REALTIME_FIELD + " must be 1 to 99 (a SCHED_FIFO priority), got " + value);
        }
    }

    /** The bar's threads at Linux nice {@code nice}. */
    public static BarThreadsPriority nice(int nice) {
        return new BarThreadsPriority(Policy.NICE, nice);
    }

    /** The bar's threads under {@code SCHED_FIFO} at {@code priority}. */
    public static BarThreadsPriority realtime(int priority) {
        return new BarThreadsPriority(Policy.REALTIME, priority);
    }

    /** The configuration's field this priority comes from. */
    public String field() {
        return policy == Policy.NICE ? NICE_FIELD : REALTIME_FIELD;
    }

    /** As {@code /status} reports it: "nice -10", "realtime 10". */
    @Override
    public String toString() {
        return (policy == Policy.NICE ? "nice " : "realtime ") + value;
    }

    /**
     * Sets this priority on a thread started for the purpose, and waits for it.
     *
     * @throws InvalidInputException naming the configuration's field and what to do, where this
     *                               process may not have it (the trader's command prints it and exits 2)
     */
    public void verify() {
        ForesailException[] failed = new ForesailException[1];
        Thread probe = new Thread(() -> {
            try {
                applyToCurrentThread();
            } catch (ForesailException e) {
                failed[0] = e;
            }
        }, "trader-priority-check");
        probe.start();
        try {
            probe.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForesailException("interrupted while checking " + field(), e);
        }
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    /**
     * Daemon threads named {@code name} (with {@code -1}, {@code -2}, ... when {@code numbered})
     * that take this priority before their first task. A thread that cannot (after a successful
     * {@link #verify}, only if the process's limits changed) logs why and runs at the process's own.
     */
    public ThreadFactory threads(String name, boolean numbered) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                try {
                    applyToCurrentThread();
                } catch (ForesailException e) {
                    LOG.error("thread {}: {}; it runs at the process's own priority", Thread.currentThread().getName(),
                            e.getMessage());
                }
                r.run();
            }, numbered ? name + "-" + n.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Gives the calling thread this priority. */
    void applyToCurrentThread() {
        String tid = threadId();
        String v = Integer.toString(value);
        List<String> command = policy == Policy.NICE ? List.of("renice", "-n", v, "-p", tid)
                : List.of("chrt", "--fifo", "--reset-on-fork", "--pid", v, tid);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new InvalidInputException(refusal(command.get(0) + " said '" + said + "'"));
            }
        } catch (IOException e) {
            throw new InvalidInputException(refusal(e.getMessage() + " (the " + command.get(0)
                    + " command of util-linux is needed)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForesailException("interrupted while setting " + field(), e);
        }
        LOG.debug("thread {} (tid {}) at {}", Thread.currentThread().getName(), tid, this);
    }

    private String refusal(String why) {
        if (policy == Policy.NICE) {
            return "cannot set the bar's threads to nice " + value + " (" + NICE_FIELD + "): " + why + ". A nice below the "
                    + "process's own (" + niceOf(Path.of("/proc/self/stat")) + ") needs CAP_SYS_NICE or a raised RLIMIT_NICE "
                    + "(systemd: LimitNICE=); or leave " + NICE_FIELD + " unset";
        }
        return "cannot run the bar's threads realtime at SCHED_FIFO priority " + value + " (" + REALTIME_FIELD + "): " + why
                + ". It needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least " + value + " (systemd: LimitRTPRIO=" + value
                + "; a container: --cap-add=SYS_NICE, and a realtime budget for its cgroup where the kernel has realtime "
                + "group scheduling); or leave " + REALTIME_FIELD + " unset";
    }

    /** The calling thread's nice value as the kernel has it. */
    static int currentNice() {
        return niceOf(THREAD_SELF.resolve("stat"));
    }

    /** The calling thread's realtime priority as the kernel has it: 0 unless it runs under {@code SCHED_FIFO}. */
    static int currentRealtime() {
        return realtimeOf(THREAD_SELF.resolve("stat"));
    }

    /** The kernel's id of the calling thread (what {@code renice -p} and {@code chrt -p} take), from {@code /proc/thread-self}. */
    private String threadId() {
        try {
            // A link to "<pid>/task/<tid>".
            return Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            throw new InvalidInputException(field() + " needs Linux (/proc/thread-self is not readable: " + e.getMessage()
                    + "); leave it unset on this system");
        }
    }

    /**
     * The nice value in a {@code /proc/.../stat} file (a thread's or a process's): the 19th field,
     * counted after the command's closing parenthesis, as a command may hold spaces.
     */
    static int niceOf(Path stat) {
        return field(statFields(stat), 19, stat);
    }

    /**
     * The realtime priority in a {@code /proc/.../stat} file (its 40th field) if its policy (the
     * 41st) is {@code SCHED_FIFO}, else 0.
     */
    static int realtimeOf(Path stat) {
        String[] fields = statFields(stat);
        return field(fields, 41, stat) == SCHED_FIFO ? field(fields, 40, stat) : 0;
    }

    /** A stat file's fields from the third (the state) on: what follows the command's closing parenthesis. */
    private static String[] statFields(Path stat) {
        try {
            String s = Files.readString(stat);
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            throw new ForesailException("cannot read " + stat + ": " + e.getMessage(), e);
        }
    }

    /** Field {@code n} (counted from 1, as proc(5) does) of {@link #statFields}. */
    private static int field(String[] fields, int n, Path stat) {
        try {
            return Integer.parseInt(fields[n - 3]);
        } catch (RuntimeException e) {
            throw new ForesailException("cannot read field " + n + " of " + stat + ": " + e.getMessage(), e);
        }
    }
}
