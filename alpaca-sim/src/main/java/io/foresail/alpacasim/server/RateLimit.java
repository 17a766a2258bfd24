package io.foresail.alpacasim.server;

/**
 * Alpaca's rate limit: at most {@code limit} requests per key in each wall-clock minute window.
 * Reports what the {@code X-RateLimit-*} headers carry. Thread-safe.
 */
final class RateLimit {
    private final int limit;
    private long windowEndSeconds;
    private int used;

    RateLimit(int limit) {
        this.limit = limit;
    }

    /** The outcome of one request: whether it may proceed, and the headers' values. */
    record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds) {
    }

    synchronized Decision take(long nowMillis) {
        long now = nowMillis / 1000;
        if (now >= windowEndSeconds) {
            windowEndSeconds = now + 60;
            used = 0;
        }
        boolean allowed = used < limit;
        if (allowed) {
            used++;
        }
        return new Decision(allowed, limit, limit - used, windowEndSeconds);
    }

    /** Uses up the rest of the window (the 429-burst fault). */
    synchronized void exhaust(long nowMillis) {
        take(nowMillis);
        used = limit;
    }
}
