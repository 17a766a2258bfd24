package io.foresail.features.expr;

/**
 * The running maximum (or minimum) of a window and its position, in O(1) amortised per bar: a
 * monotonic deque of the values that can still become the extremum. Among equal values the oldest
 * is kept in front, so the position is the first occurrence, as a left-to-right scan finds it.
 * A NaN empties the deque; the window is {@link #valid()} again once the NaN has left it.
 */
final class RollingExtremum {
    private final int window;
    private final boolean highest;
    /** Bar numbers and values of the deque, a ring of {@code window} entries from {@code head}. */
    private final long[] at;
    private final double[] value;
    private int head;
    private int size;
    private long bar = -1;
    private long lastNaN = Long.MIN_VALUE / 2;

    RollingExtremum(int window, boolean highest) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        this.window = window;
        this.highest = highest;
        at = new long[window];
        value = new double[window];
    }

    void push(double x) {
        bar++;
        if (Double.isNaN(x)) {
            lastNaN = bar;
            size = 0;
            return;
        }
        if (size > 0 && at[head] <= bar - window) {
            head = head + 1 == window ? 0 : head + 1;
            size--;
        }
        while (size > 0) {
            int back = head + size - 1;
            double b = value[back >= window ? back - window : back];
            if (highest ? b < x : b > x) {
                size--;
            } else {
                break;
            }
        }
        int slot = head + size;
        slot = slot >= window ? slot - window : slot;
        at[slot] = bar;
        value[slot] = x;
        size++;
    }

    /** A full window without NaN. */
    boolean valid() {
        return bar >= window - 1 && lastNaN <= bar - window;
    }

    /** The extremum of the window; call only when valid. */
    double extremum() {
        return value[head];
    }

    /** Its 1-based position from the oldest bar of the window (first occurrence); call only when valid. */
    int position() {
        return (int) (at[head] - (bar - window + 1)) + 1;
    }
}
