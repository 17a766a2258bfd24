package io.foresail.training.split;

/** Bars {@code [from, to)} by index into a dataset's ascending bar times. */
public record BarRange(int from, int to) {
    public BarRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad bar range [" + from + ", " + to + ")");
        }
    }

    public int size() {
        return to - from;
    }

    public boolean contains(int bar) {
        return bar >= from && bar < to;
    }
}
