package io.foresail.features.expr;

/** The last {@code capacity} values pushed, oldest first, with a count of NaNs among them. */
final class RingBuffer {
    private final double[] values;
    private int next;
    private int size;
    private int nans;

    RingBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + capacity);
        }
        values = new double[capacity];
    }

    /** Pushes {@code x}; returns the value that fell out, or NaN when the buffer was not full. */
    double push(double x) {
        double dropped = Double.NaN;
        if (size == values.length) {
            dropped = values[next];
            if (Double.isNaN(dropped)) {
                nans--;
            }
        } else {
            size++;
        }
        values[next] = x;
        if (Double.isNaN(x)) {
            nans++;
        }
        next = next + 1 == values.length ? 0 : next + 1;
        return dropped;
    }

    int capacity() {
        return values.length;
    }

    int size() {
        return size;
    }

    boolean full() {
        return size == values.length;
    }

    /** Full and free of NaN: the condition for a rolling value to be defined. */
    boolean valid() {
        return size == values.length && nans == 0;
    }

    /** The {@code i}-th value, 0 being the oldest held. */
    double get(int i) {
        int start = size == values.length ? next : 0;
        int j = start + i;
        return values[j >= values.length ? j - values.length : j];
    }

    /** The backing array, for scans by {@link #oldest()}: read-only to callers. */
    double[] raw() {
        return values;
    }

    /** The backing index of the oldest value held; the next ones follow cyclically. */
    int oldest() {
        return size == values.length ? next : 0;
    }

    double newest() {
        return values[next == 0 ? values.length - 1 : next - 1];
    }

    /** The mean absolute deviation from the mean, both summed oldest first; call only when full. */
    double meanDeviation() {
        int cap = values.length;
        double mean = 0;
        for (int k = 0; k < cap; k++) {
            int i = next + k;
            mean += values[i >= cap ? i - cap : i];
        }
        mean /= cap;
        double dev = 0;
        for (int k = 0; k < cap; k++) {
            int i = next + k;
            dev += Math.abs(values[i >= cap ? i - cap : i] - mean);
        }
        return dev / cap;
    }
}
