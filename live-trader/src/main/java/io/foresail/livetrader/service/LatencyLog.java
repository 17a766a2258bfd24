package io.foresail.livetrader.service;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code capacity} bars' decision latencies, whole and less the broker's round trips, in
 * seconds, for {@code /status} and the benchmark's percentiles (the Prometheus histogram has only
 * buckets). Thread-safe.
 */
final class LatencyLog {
    private final double[] total;
    private final double[] compute;
    private long count;

    LatencyLog(int capacity) {
        total = new double[capacity];
        compute = new double[capacity];
    }

    synchronized void add(double totalSeconds, double computeSeconds) {
        int i = (int) (count % total.length);
        total[i] = totalSeconds;
        compute[i] = computeSeconds;
        count++;
    }

    /**
     * Bars counted, and p50/p99/max in milliseconds, with and without the broker's time; also the
     * same after the first {@code warmUp} bars of the process (the JIT compiles the bar's path over
     * its first bars), while every bar since the start is still kept.
     */
    synchronized Map<String, Object> summary(int warmUp) {
        Map<String, Object> out = summary(0, "");
        if (count > warmUp && count <= total.length) {
            out.putAll(summary(warmUp, "_after_warmup"));
        }
        return out;
    }

    private Map<String, Object> summary(int skip, String suffix) {
        int n = (int) Math.min(count, total.length);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bars" + suffix, Math.max(0, count - skip));
        if (n - skip <= 0) {
            return out;
        }
        double[] t = Arrays.copyOfRange(total, skip, n);
        double[] c = Arrays.copyOfRange(compute, skip, n);
        n = t.length;
        Arrays.sort(t);
        Arrays.sort(c);
        out.put("p50" + suffix, q(t, 0.5) * 1e3);
        out.put("p99" + suffix, q(t, 0.99) * 1e3);
        out.put("max" + suffix, t[n - 1] * 1e3);
        out.put("p50_excluding_broker" + suffix, q(c, 0.5) * 1e3);
        out.put("p99_excluding_broker" + suffix, q(c, 0.99) * 1e3);
        out.put("max_excluding_broker" + suffix, c[n - 1] * 1e3);
        return out;
    }

    private static double q(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
