package io.foresail.alpacasim.fault;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.config.Yaml;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * A fault file ({@code --faults}): the seed of every random fault decision, and the faults to fire
 * at given market times, so a failing chaos run replays exactly.
 * <pre>
 * seed: 7
 * schedule:
 *   - {at: "2024-03-04T15:00:00Z", kind: stream_drop, stream: market_data, mode: reset}
 *   - {at: "2024-03-04T15:01:00Z", kind: reconnect_406, seconds: 5}
 *   - {at: "2024-03-04T15:30:00Z", kind: duplicate_updates, probability: 0.2}
 * </pre>
 */
public record FaultPlan(@JsonProperty("seed") Long seed, @JsonProperty("schedule") List<FaultSpec> schedule) {
    public FaultPlan {
        seed = seed == null ? 0L : seed;
        schedule = schedule == null ? List.of() : schedule.stream()
                .peek(f -> {
                    if (f.at() == null) {
                        throw new IllegalArgumentException("every scheduled fault needs 'at' (RFC 3339 market time): " + f.kind());
                    }
                })
                .sorted(Comparator.comparing(FaultSpec::at)).toList();
    }

    public static FaultPlan none() {
        return new FaultPlan(0L, List.of());
    }

    /** Reads a fault file (YAML or JSON); errors name the file and the field. */
    public static FaultPlan load(Path file) {
        return Yaml.read(file, FaultPlan.class);
    }
}
