package io.foresail.features.expr;

import java.util.Arrays;

/** A window kept both in arrival order and sorted, for rolling quantiles and ranks in O(window) per bar. */
final class SortedWindow {
    final RingBuffer window;
    private final double[] sorted;
    private int count;

    SortedWindow(int capacity) {
        window = new RingBuffer(capacity);
        sorted = new double[capacity];
    }

    void push(double x) {
        double dropped = window.push(x);
        if (!Double.isNaN(dropped)) {
            int i = Arrays.binarySearch(sorted, 0, count, dropped);
            System.arraycopy(sorted, i + 1, sorted, i, count - i - 1);
            count--;
        }
        if (!Double.isNaN(x)) {
            int i = Arrays.binarySearch(sorted, 0, count, x);
            if (i < 0) {
                i = -i - 1;
            }
            System.arraycopy(sorted, i, sorted, i + 1, count - i);
            sorted[i] = x;
            count++;
        }
    }

    boolean valid() {
        return window.valid();
    }

    /** The q-quantile with linear interpolation between order statistics (pandas' default). */
    double quantile(double q) {
        double pos = q * (count - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, count - 1);
        double frac = pos - lo;
        return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }

    /** The percentile rank of {@code x} in the window, ties averaged: (rank among 1..n) / n. */
    double rankOf(double x) {
        int less = lowerBound(x);
        int lessOrEqual = upperBound(x);
        return (less + lessOrEqual + 1) / (2.0 * count);
    }

    private int lowerBound(double x) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int upperBound(double x) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
