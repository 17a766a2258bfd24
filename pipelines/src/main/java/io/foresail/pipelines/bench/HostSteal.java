package io.foresail.pipelines.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The hypervisor's steal time on this host: the time a virtual machine's cores were runnable but
 * the host ran something else on them, which no process inside can see or avoid. Sampled from
 * Linux's {@code /proc/stat} (all cores together, in the kernel's 10 ms ticks) every
 * {@code every}, on a daemon thread, until closed; a benchmark lines its bars up with it to tell
 * the machine's own noise from its code's. Unknown (never sampled) where {@code /proc/stat} does
 * not report steal. Thread-safe.
 */
final class HostSteal implements AutoCloseable {
    /** The kernel's clock ticks per second as {@code /proc/stat} reports them (Linux's USER_HZ). */
    private static final int TICKS_PER_SECOND = 100;

    /** The total steal of all cores up to a moment, in milliseconds. */
    record Sample(Instant at, long stolenMillis) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Path stat;
    private final Thread sampler;
    private volatile boolean closed;

    private HostSteal(Path stat, Duration every) {
        this.stat = stat;
        this.sampler = new Thread(() -> {
            while (!closed) {
                sample();
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-host-steal");
        sampler.setDaemon(true);
    }

    /** Starts sampling {@code /proc/stat} every {@code every}; an instance that never samples where it cannot be read. */
    static HostSteal start(Duration every) {
        HostSteal h = new HostSteal(Path.of("/proc/stat"), every);
        if (read(h.stat).isPresent()) {
            h.sampler.start();
        }
        return h;
    }

    /** Whether steal was read at all (Linux, with a kernel that reports it). */
    synchronized boolean known() {
        return samples.size() >= 2;
    }

    /** The steal over everything sampled so far, milliseconds of all cores together. */
    synchronized long totalMillis() {
        return known() ? samples.get(samples.size() - 1).stolenMillis() - samples.get(0).stolenMillis() : 0;
    }

    /** The time sampled so far. */
    synchronized Duration span() {
        return known() ? Duration.between(samples.get(0).at(), samples.get(samples.size() - 1).at()) : Duration.ZERO;
    }

    /** The steal (milliseconds, all cores) in the sampling intervals that overlap {@code from} to {@code to}. */
    synchronized long stolenBetween(Instant from, Instant to) {
        return stolenBetween(samples, from, to);
    }

    /**
     * The steal in the intervals between consecutive {@code samples} (in time order) that overlap
     * {@code from} to {@code to}: each interval ends at a sample and holds the steal since the one
     * before, so an interval counts where it ends after {@code from} and starts before {@code to}.
     */
    static long stolenBetween(List<Sample> samples, Instant from, Instant to) {
        long stolen = 0;
        for (int i = 1; i < samples.size(); i++) {
            Sample before = samples.get(i - 1);
            Sample s = samples.get(i);
            if (s.at().isAfter(from) && before.at().isBefore(to)) {
                stolen += s.stolenMillis() - before.stolenMillis();
            }
        }
        return stolen;
    }

    private void sample() {
        OptionalLong ms = read(stat);
        if (ms.isPresent()) {
            synchronized (this) {
                samples.add(new Sample(Instant.now(), ms.getAsLong()));
            }
        }
    }

    /** The steal of all cores in {@code /proc/stat}'s "cpu" line (its 8th value), in milliseconds; empty if not there. */
    static OptionalLong read(Path stat) {
        try {
            for (String line : Files.readAllLines(stat)) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    return f.length > 8 ? OptionalLong.of(Long.parseLong(f[8]) * 1000 / TICKS_PER_SECOND) : OptionalLong.empty();
                }
            }
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        closed = true;
        sampler.interrupt();
    }
}
