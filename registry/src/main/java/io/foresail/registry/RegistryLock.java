package io.foresail.registry;

/**
 * Mutual exclusion among every process that uses one registry, for a short critical section such as
 * moving an alias (read the holder, gate, set). Obtained from {@link ModelRegistry#lock}; held until
 * {@link #close()}; a holder that dies without closing is overtaken once its lease has run out.
 */
public interface RegistryLock extends AutoCloseable {
    /** What is locked, e.g. {@code promote:equities@champion}. */
    String key();

    /** Releases the lock; releasing a lock that another holder has since overtaken does nothing. */
    @Override
    void close();
}
