package io.foresail.alpaca.rest;

import java.time.Duration;

/** Waits between retries. The real one sleeps; tests pass one that records the waits and returns. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
