package io.foresail.inference;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and a latency histogram of the inference path, kept as plain numbers (the trader
 * exports them): bars predicted, symbols scored, swaps, refused versions by reason, registry
 * failures, the version in service, and per-bar prediction latency in fixed buckets. Thread-safe
 * and lock-free; {@link #snapshot} reads a consistent-enough copy for reporting.
 */
public final class InferenceMetrics {
    /** Upper bounds of the latency buckets, microseconds; the last bucket is everything above. */
    public static final long[] LATENCY_BOUNDS_MICROS = {100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 100_000, 1_000_000};

    /** Why a version was not swapped in. */
    public enum Refusal { FETCH, VERIFY, LOAD, INCOMPATIBLE, WARM_UP }

    private final LongAdder bars = new LongAdder();
    private final LongAdder scored = new LongAdder();
    private final LongAdder swaps = new LongAdder();
    private final LongAdder registryFailures = new LongAdder();
    private final Map<Refusal, LongAdder> refused = new ConcurrentHashMap<>();
    private final AtomicLongArray latency = new AtomicLongArray(LATENCY_BOUNDS_MICROS.length + 1);
    private final LongAdder latencySumMicros = new LongAdder();
    private final AtomicReference<ServedVersion> serving = new AtomicReference<>();

    void predicted(int symbols, long micros) {
        bars.increment();
        scored.add(symbols);
        latencySumMicros.add(micros);
        int b = 0;
        while (b < LATENCY_BOUNDS_MICROS.length && micros > LATENCY_BOUNDS_MICROS[b]) {
            b++;
        }
        latency.incrementAndGet(b);
    }

    void swapped(ServedVersion v) {
        swaps.increment();
        serving.set(v);
    }

    void refused(Refusal why) {
        refused.computeIfAbsent(why, k -> new LongAdder()).increment();
    }

    void registryFailed() {
        registryFailures.increment();
    }

    /** What the counters say now. */
    public Snapshot snapshot() {
        Map<Refusal, Long> r = new TreeMap<>();
        refused.forEach((k, v) -> r.put(k, v.sum()));
        long[] buckets = new long[latency.length()];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = latency.get(i);
        }
        return new Snapshot(bars.sum(), scored.sum(), swaps.sum(), r, registryFailures.sum(), serving.get(), buckets,
                latencySumMicros.sum());
    }

    /**
     * The counters at one moment.
     *
     * @param latencyBuckets predictions per bucket of {@link #LATENCY_BOUNDS_MICROS}, the last one above them all
     */
    public record Snapshot(long bars, long symbolsScored, long swaps, Map<Refusal, Long> refused, long registryFailures,
                           ServedVersion serving, long[] latencyBuckets, long latencySumMicros) {

        public long refusals() {
            return refused.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
