package io.foresail.inference;

import java.util.HashMap;
import java.util.Map;

/**
 * The last rows of features of each symbol, as the models read them: floats, the newest
 * {@code capacity} rows a symbol had (a bar the symbol did not have is no row, as in the feature
 * set the models were trained on). Filled once per frame; read into a caller's batch buffer oldest
 * row first, so nothing is allocated per bar once every symbol has been seen. Not thread-safe: one
 * predictor feeds it in bar order.
 */
final class FeatureWindows {
    private final int width;
    private final int capacity;
    private final Map<String, Ring> rings = new HashMap<>();

    private static final class Ring {
        final float[] values;
        long seen;
        /** The number (1-based, counted like {@code seen}) of the newest row with a missing value; 0 for none. */
        long lastMissing;

        Ring(int size) {
            values = new float[size];
        }
    }

    FeatureWindows(int width, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("window capacity must be at least 1, got " + capacity);
        }
        this.width = width;
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** Appends the symbol's newest row (converted to float, as the feature set's matrix is). */
    void add(String symbol, double[] row) {
        if (row.length != width) {
            throw new IllegalArgumentException(symbol + ": a row of " + row.length + " features, expected " + width);
        }
        Ring r = rings.computeIfAbsent(symbol, s -> new Ring(width * capacity));
        int at = (int) (r.seen % capacity) * width;
        boolean missing = false;
        for (int k = 0; k < width; k++) {
            float v = (float) row[k];
            r.values[at + k] = v;
            missing |= v != v;
        }
        r.seen++;
        if (missing) {
            r.lastMissing = r.seen;
        }
    }

    /** Rows the symbol has had in all (not capped by the capacity). */
    long seen(String symbol) {
        Ring r = rings.get(symbol);
        return r == null ? 0 : r.seen;
    }

    /** Whether any of the symbol's last {@code length} rows holds a missing value. */
    boolean anyMissing(String symbol, int length) {
        Ring r = rings.get(symbol);
        rowAt(r, length, 0);
        // Kept up to date as rows arrive: a bar's check is not a scan of 50 windows of 230 features.
        return r.lastMissing > r.seen - length;
    }

    /** Copies the symbol's last {@code length} rows, oldest first, into {@code dst} at row {@code dstRow}. */
    void copy(String symbol, int length, float[] dst, int dstRow) {
        Ring r = rings.get(symbol);
        for (int i = 0; i < length; i++) {
            System.arraycopy(r.values, rowAt(r, length, i), dst, (dstRow + i) * width, width);
        }
    }

    private int rowAt(Ring r, int length, int i) {
        if (length > capacity || r.seen < length) {
            throw new IllegalStateException("a window of " + length + " rows from " + r.seen + " seen, capacity " + capacity);
        }
        return (int) ((r.seen - length + i) % capacity) * width;
    }
}
