package io.foresail.features.set;

import io.foresail.core.io.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresail.core.error.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a feature set {@code <root>/<name>/<id>/}: what was computed from what.
 * Holds no wall-clock time, so rebuilding the same inputs writes the same bytes. Times are UTC
 * bar starts (ISO-8601).
 *
 * @param plan     the plan document ({@link FeatureSetId#plan}: spec, columns, kernel versions,
 *                 timeframe, benchmark, each symbol's sector); null in sets of format
 *                 {@value #FORMAT_WITHOUT_PLAN}
 * @param planHash its hash ({@link FeatureSetId#planHash}); null with it
 */
public record FeatureSetManifest(
        @JsonProperty("format") String format,
        @JsonProperty("name") String name,
        @JsonProperty("id") String id,
        @JsonProperty("spec") JsonNode spec,
        @JsonProperty("timeframe") String timeframe,
        @JsonProperty("features") List<Column> features,
        @JsonProperty("labels") List<Column> labels,
        @JsonProperty("symbols") List<String> symbols,
        @JsonProperty("rows") long rows,
        @JsonProperty("warmup_rows_dropped") long warmupRowsDropped,
        @JsonProperty("from") String from,
        @JsonProperty("to") String to,
        @JsonProperty("parts") List<String> parts,
        @JsonProperty("bar_manifest_hash") String barManifestHash,
        @JsonProperty("engine_version") String engineVersion,
        @JsonProperty("kernel_versions") Map<String, String> kernelVersions,
        @JsonProperty("plan") JsonNode plan,
        @JsonProperty("plan_hash") String planHash) {

    public static final String FILE = "manifest.json";
    public static final String FORMAT = "foresail-features/2";
    /** Sets built before the plan was recorded: readable, but a model trained on one cannot be served. */
    public static final String FORMAT_WITHOUT_PLAN = "foresail-features/1";

    /** A column: name, description, warm-up in bars (0 for labels) and statistics over all rows. */
    public record Column(
            @JsonProperty("name") String name,
            @JsonProperty("description") String description,
            @JsonProperty("warmup") int warmUp,
            @JsonProperty("stats") FeatureStats stats) {
    }

    public List<String> featureNames() {
        return features.stream().map(Column::name).toList();
    }

    public List<String> labelNames() {
        return labels.stream().map(Column::name).toList();
    }

    public byte[] toJson() {
        try {
            return Json.PRETTY.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static FeatureSetManifest read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            FeatureSetManifest m = Json.MAPPER.readValue(Files.readAllBytes(file), FeatureSetManifest.class);
            if (!FORMAT.equals(m.format()) && !FORMAT_WITHOUT_PLAN.equals(m.format())) {
                throw new InvalidInputException(file + ": format '" + m.format() + "' is not " + FORMAT);
            }
            return m;
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(dir + " is not a feature set: " + FILE + " is missing");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
