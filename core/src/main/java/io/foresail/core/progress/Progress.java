package io.foresail.core.progress;

/**
 * Where a long job reports how far it got. Library code reports through this; the CLI draws a
 * progress bar from it. Implementations must be thread-safe: parallel jobs call it from workers.
 */
@FunctionalInterface
public interface Progress {
    /** Reports nothing. */
    Progress NONE = (stage, done, total) -> { };

    /**
     * @param stage a short name of the current stage ("generate", "write raw")
     * @param done  units finished in the stage
     * @param total units in the stage
     */
    void update(String stage, long done, long total);
}
