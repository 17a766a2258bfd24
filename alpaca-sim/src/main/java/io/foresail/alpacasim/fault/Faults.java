package io.foresail.alpacasim.fault;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The standing state of injected faults that the server consults on every request and message:
 * stalls and the 406 window (in real time), 5xx and lost responses still to serve, and the
 * probabilities of duplicate and out-of-order trade updates, drawn from one seeded generator so a
 * run replays exactly. Thread-safe.
 */
public final class Faults {
    /** The two streams. */
    public enum Stream { MARKET_DATA, TRADE_UPDATES }

    private final SplittableRandom random;
    private final LongSupplier nanoTime;
    private final long[] stallUntil = new long[Stream.values().length];
    private long reject406Until;
    private int failures;
    private int failureStatus;
    private int lostResponses;
    private double duplicate;
    private double outOfOrder;

    public Faults(long seed) {
        this(seed, System::nanoTime);
    }

    Faults(long seed, LongSupplier nanoTime) {
        this.random = new SplittableRandom(seed);
        this.nanoTime = nanoTime;
        long now = nanoTime.getAsLong();
        java.util.Arrays.fill(stallUntil, now);
        reject406Until = now;
    }

    public static Stream stream(String name) {
        return name.equals("market_data") ? Stream.MARKET_DATA : Stream.TRADE_UPDATES;
    }

    public synchronized void stall(Stream s, double seconds) {
        stallUntil[s.ordinal()] = nanoTime.getAsLong() + (long) (seconds * 1e9);
    }

    /** Whether {@code s} is stalled now: its connections send nothing. */
    public synchronized boolean stalled(Stream s) {
        return nanoTime.getAsLong() - stallUntil[s.ordinal()] < 0;
    }

    public synchronized void reject406(double seconds) {
        reject406Until = nanoTime.getAsLong() + (long) (seconds * 1e9);
    }

    /** Whether a market data login now gets 406 (a half-dead earlier connection still counts). */
    public synchronized boolean reject406() {
        return nanoTime.getAsLong() - reject406Until < 0;
    }

    public synchronized void fail(int count, int status) {
        failures = count;
        failureStatus = status;
    }

    /** The status the next request fails with, or 0 when it proceeds. */
    public synchronized int takeFailure() {
        if (failures == 0) {
            return 0;
        }
        failures--;
        return failureStatus;
    }

    public synchronized void loseResponses(int count) {
        lostResponses = count;
    }

    /** Whether this order submission's response is to be lost (the order still executes). */
    public synchronized boolean takeLostResponse() {
        if (lostResponses == 0) {
            return false;
        }
        lostResponses--;
        return true;
    }

    public synchronized void duplicateUpdates(double p) {
        duplicate = p;
    }

    public synchronized void outOfOrderUpdates(double p) {
        outOfOrder = p;
    }

    /** Whether the next trade update is to be sent twice. */
    public synchronized boolean duplicateNext() {
        return duplicate > 0 && random.nextDouble() < duplicate;
    }

    /** Whether the next trade update is to be held back and sent after the one that follows it. */
    public synchronized boolean holdNext() {
        return outOfOrder > 0 && random.nextDouble() < outOfOrder;
    }
}
