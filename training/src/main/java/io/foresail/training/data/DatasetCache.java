package io.foresail.training.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Feature sets loaded in this JVM, by directory: a Spark executor loads a set once, from the
 * shared path, for every trial that reads it, and in local mode the driver's own {@link Dataset}
 * is the one trials read. Sets are immutable, so sharing is safe.
 */
public final class DatasetCache {
    private static final Map<String, Dataset> LOADED = new ConcurrentHashMap<>();

    private DatasetCache() {
    }

    /** The set in {@code dir}, loaded on first use in this JVM. */
    public static Dataset open(Path dir) {
        return LOADED.computeIfAbsent(key(dir), k -> Dataset.load(dir));
    }

    /** Registers a set already loaded here, so trials in this JVM do not load it again. */
    public static void register(Dataset data) {
        LOADED.putIfAbsent(key(data.dir()), data);
    }

    private static String key(Path dir) {
        return dir.toAbsolutePath().normalize().toString();
    }
}
