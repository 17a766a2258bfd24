package io.foresail.livetrader.service;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The last {@code capacity} bars' decision latencies, whole and less the broker's round trips, the
 * bar thread's CPU time and time waiting for a core, and the bar's time stage by stage ({@link #STAGES}), in seconds, for
 * {@code /status} and the benchmark's percentiles (the Prometheus histogram has only buckets).
 * Thread-safe.
 */
final class LatencyLog {
    /**
     * A bar's stages, in order: waiting for the bar thread after the last minute bar arrived,
     * bars corrected (and a re-synchronisation of the features if one is due), the features, the
     * model's predictions, the book settled (orders still open from earlier bars cancelled and their
     * last reports and fills waited for; nothing to do, and no broker request, in the usual bar),
     * the decision path, the decision recorded (committed; also forced to disk here when
     * {@code decision_on_disk} is {@code before_orders}), the orders sent (every one
     * acknowledged: where the bar's latency ends), then, after it, the acknowledgements recorded
     * and the bookkeeping (equity, metrics).
     */
    static final List<String> STAGES = List.of("queue", "corrections", "features", "model", "settle", "decide",
            "persist", "send", "acks", "after");

    /** One bar's stages for its log line: each stage's name and milliseconds, in order. */
    static String describe(double[] stageSeconds) {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < stageSeconds.length; s++) {
            b.append(s == 0 ? "" : " ").append(STAGES.get(s)).append(' ')
                    .append(String.format(Locale.ROOT, "%.2f", stageSeconds[s] * 1e3));
        }
        return b.toString();
    }

    private final double[] total;
    /** When each bar's latency ended (its last order acknowledged), epoch milliseconds. */
    private final long[] endedAt;
    private final double[] compute;
    private final double[] cpu;
    private final double[] waiting;
    private boolean waitingKnown = true;
    private final double[][] stages;
    private long count;
    private final double[] onDisk;
    private long onDiskCount;

    LatencyLog(int capacity) {
        total = new double[capacity];
        endedAt = new long[capacity];
        compute = new double[capacity];
        cpu = new double[capacity];
        waiting = new double[capacity];
        stages = new double[STAGES.size()][capacity];
        onDisk = new double[capacity];
    }

    /** One decision's commit to its record on the disk, in seconds (measured apart: it may run beside the sends). */
    synchronized void addOnDisk(double seconds) {
        onDisk[(int) (onDiskCount++ % onDisk.length)] = seconds;
    }

    /**
     * One bar: when its latency ended (epoch milliseconds), its latency, the same less the time it
     * waited for the broker, its thread's times over it (the CPU it used: the work itself; and its
     * time waiting for a core, if known), and {@code stageSeconds} in the order of {@link #STAGES}.
     */
    synchronized void add(long endedAtMillis, double totalSeconds, double computeSeconds, ThreadTimes thread,
                          double[] stageSeconds) {
        if (stageSeconds.length != STAGES.size()) {
            throw new IllegalArgumentException(stageSeconds.length + " stage times for " + STAGES.size() + " stages");
        }
        int i = (int) (count % total.length);
        total[i] = totalSeconds;
        endedAt[i] = endedAtMillis;
        compute[i] = computeSeconds;
        cpu[i] = thread.cpuNanos() / 1e9;
        waiting[i] = thread.waitingNanos() / 1e9;
        waitingKnown &= thread.waitingNanos() >= 0;
        for (int s = 0; s < stageSeconds.length; s++) {
            stages[s][i] = stageSeconds[s];
        }
        count++;
    }

    /**
     * One bar's latency as {@code GET /latencies} lists it: when it ended (its last order
     * acknowledged), its latency whole and less the broker's round trips, and the bar thread's CPU
     * time and time waiting for a core (-1: not known), in milliseconds.
     */
    record Bar(@JsonProperty("ended_at") Instant endedAt, @JsonProperty("ms") double ms,
               @JsonProperty("ms_excluding_broker") double msExcludingBroker,
               @JsonProperty("bar_thread_cpu_ms") double cpuMs,
               @JsonProperty("bar_thread_waiting_for_a_core_ms") double waitingMs) {
    }

    /** The last {@code n} bars (at most as many as are kept), oldest first. */
    synchronized List<Bar> recent(int n) {
        int kept = (int) Math.min(count, total.length);
        int take = Math.max(0, Math.min(n, kept));
        List<Bar> out = new ArrayList<>(take);
        for (long k = count - take; k < count; k++) {
            int i = (int) (k % total.length);
            out.add(new Bar(Instant.ofEpochMilli(endedAt[i]), total[i] * 1e3, compute[i] * 1e3, cpu[i] * 1e3,
                    waiting[i] < 0 ? -1 : waiting[i] * 1e3));
        }
        return out;
    }

    /** How many bars the log keeps. */
    int capacity() {
        return total.length;
    }

    /**
     * Bars counted, and p50/p99/max in milliseconds, with and without the broker's time; also the
     * same after the first {@code warmUp} bars of the process (the JIT compiles the bar's path over
     * its first bars), while every bar since the start is still kept; and each stage's p50/p99
     * over the same bars as the last of those.
     */
    synchronized Map<String, Object> summary(int warmUp) {
        Map<String, Object> out = summary(0, "");
        int skip = skip(count, warmUp);
        if (skip > 0) {
            out.putAll(summary(warmUp, "_after_warmup"));
        }
        int n = (int) Math.min(count, total.length);
        if (n - skip > 0) {
            Map<String, Object> byStage = new LinkedHashMap<>();
            for (int s = 0; s < STAGES.size(); s++) {
                double[] t = sorted(stages[s], skip, n);
                byStage.put(STAGES.get(s), Map.of("p50", q(t, 0.5) * 1e3, "p99", q(t, 0.99) * 1e3));
            }
            out.put("stages" + (skip > 0 ? "_after_warmup" : ""), byStage);
        }
        int d = (int) Math.min(onDiskCount, onDisk.length);
        int dSkip = skip(onDiskCount, warmUp);
        if (d - dSkip > 0) {
            double[] t = sorted(onDisk, dSkip, d);
            out.put("decision_on_disk" + (dSkip > 0 ? "_after_warmup" : ""),
                    Map.of("p50", q(t, 0.5) * 1e3, "p99", q(t, 0.99) * 1e3, "max", t[t.length - 1] * 1e3));
        }
        return out;
    }

    /**
     * The first {@code warmUp} entries are left out once there are more, while the ring still holds
     * every one since the start (after it wraps, the first are gone anyway): 0 otherwise.
     */
    private int skip(long added, int warmUp) {
        return added > warmUp && added <= total.length ? warmUp : 0;
    }

    private Map<String, Object> summary(int skip, String suffix) {
        int n = (int) Math.min(count, total.length);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bars" + suffix, Math.max(0, count - skip));
        if (n - skip <= 0) {
            return out;
        }
        double[] t = sorted(total, skip, n);
        double[] c = sorted(compute, skip, n);
        double[] k = sorted(cpu, skip, n);
        out.put("p50" + suffix, q(t, 0.5) * 1e3);
        out.put("p99" + suffix, q(t, 0.99) * 1e3);
        out.put("max" + suffix, t[t.length - 1] * 1e3);
        out.put("p50_excluding_broker" + suffix, q(c, 0.5) * 1e3);
        out.put("p99_excluding_broker" + suffix, q(c, 0.99) * 1e3);
        out.put("max_excluding_broker" + suffix, c[c.length - 1] * 1e3);
        out.put("p50_bar_thread_cpu" + suffix, q(k, 0.5) * 1e3);
        out.put("p99_bar_thread_cpu" + suffix, q(k, 0.99) * 1e3);
        out.put("max_bar_thread_cpu" + suffix, k[k.length - 1] * 1e3);
        if (waitingKnown) {
            double[] w = sorted(waiting, skip, n);
            out.put("p50_bar_thread_waiting_for_a_core" + suffix, q(w, 0.5) * 1e3);
            out.put("p99_bar_thread_waiting_for_a_core" + suffix, q(w, 0.99) * 1e3);
        }
        return out;
    }

    private static double[] sorted(double[] values, int from, int to) {
        double[] t = Arrays.copyOfRange(values, from, to);
        Arrays.sort(t);
        return t;
    }

    private static double q(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
