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
 * ensemble's member threads, the broker request threads): a Linux nice value, -20 (served first)
 * to 19 (last), set on each of those threads alone. The trader's other threads (the streams, the
 * disk's flush, HTTP), the JVM's compiler, and the host's other processes (a training job beside
 * the trader) then wait for a core behind a closing bar instead of in front of it. As Linux does, a
 * thread first started from one of these (a pool's worker made on its first task, such as the
 * disk flush's) inherits the priority.
 *
 * <p>A value below the process's own nice needs the privilege to raise a priority
 * ({@code CAP_SYS_NICE}, or an {@code RLIMIT_NICE} that allows it: systemd's {@code LimitNICE=}).
 * {@link #verify} tries it once at start, so a trader that cannot have what its configuration asks
 * for refuses to start instead of trading slower than its operator believes. Linux only.
 */
public record BarThreadsPriority(int nice) {
    private static final Logger LOG = LoggerFactory.getLogger(BarThreadsPriority.class);
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    static final String FIELD = "bars.threads_nice";

    public BarThreadsPriority {
        if (nice < -20 || nice > 19) {
            throw new InvalidInputException(FIELD + " must be -20 to 19 (a Linux nice value), got " + nice);
        }
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
            throw new ForesailException("interrupted while checking " + FIELD, e);
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
        List<String> command = List.of("renice", "-n", Integer.toString(nice), "-p", tid);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new InvalidInputException("cannot set the bar's threads to nice " + nice + " (" + FIELD + "): renice said '"
                        + said + "'. A nice below the process's own (" + niceOf(Path.of("/proc/self/stat"))
                        + ") needs CAP_SYS_NICE or a raised RLIMIT_NICE (systemd: LimitNICE=); or leave " + FIELD
                        + " unset");
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot set the bar's threads to nice " + nice + " (" + FIELD + "): "
                    + e.getMessage() + " (the renice command of util-linux is needed)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForesailException("interrupted while setting " + FIELD, e);
        }
        LOG.debug("thread {} (tid {}) at nice {}", Thread.currentThread().getName(), tid, nice);
    }

    /** The calling thread's nice value as the kernel has it. */
    static int currentNice() {
        return niceOf(THREAD_SELF.resolve("stat"));
    }

    /** The kernel's id of the calling thread (what {@code renice -p} takes), from {@code /proc/thread-self}. */
    private static String threadId() {
        try {
            // A link to "<pid>/task/<tid>".
            return Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            throw new InvalidInputException(FIELD + " needs Linux (/proc/thread-self is not readable: " + e.getMessage()
                    + "); leave it unset on this system");
        }
    }

    /**
     * The nice value in a {@code /proc/.../stat} file (a thread's or a process's): the 19th field,
     * counted after the command's closing parenthesis, as a command may hold spaces.
     */
    static int niceOf(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] after = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(after[16]);
        } catch (IOException | RuntimeException e) {
            throw new ForesailException("cannot read the nice value in " + stat + ": " + e.getMessage(), e);
        }
    }
}
