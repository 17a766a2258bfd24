package io.foresail.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered model version as the registry holds it: its number, the run that produced it,
 * where its files are ({@code source}), its aliases and tags. Immutable snapshot; the registry
 * may have moved on since it was read.
 */
public record ModelVersion(String name, String version, String runId, String source, String status,
                           Instant created, List<String> aliases, Map<String, String> tags) {

    public ModelVersion {
        aliases = List.copyOf(aliases);
        tags = Map.copyOf(tags);
    }

    public ModelRef ref() {
        return ModelRef.version(name, version);
    }

    @Override
    public String toString() {
        return name + "/" + version + (aliases.isEmpty() ? "" : " @" + String.join(",@", aliases));
    }
}
