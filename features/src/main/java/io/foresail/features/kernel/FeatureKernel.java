package io.foresail.features.kernel;

/**
 * Computes one feature of one symbol incrementally, a bar at a time, from its own bounded state.
 *
 * <p>Contract: {@link #update} is called once per bar of the symbol, in time order, and returns the
 * feature's value at that bar using only that bar and earlier ones (no look-ahead by
 * construction). Before {@link #warmUp()} bars have been seen it returns NaN; it never returns an
 * infinity (an undefined value is NaN). Kernels are not thread-safe: one instance per symbol. The
 * same kernel class serves the Spark feature job and the live {@code OnlineFeatureEngine}, so
 * the two cannot disagree.
 */
public interface FeatureKernel {

    /** The number of bars, the current one included, needed before the value is defined. */
    int warmUp();

    /** Changes whenever the kernel's arithmetic changes; part of every feature set id. */
    String version();

    /** Consumes the next bar and returns the value at it. */
    double update(BarInput bar);
}
