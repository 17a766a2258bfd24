package io.foresail.features.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.core.config.Yaml;
import io.foresail.core.error.InvalidInputException;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A feature-set specification as written in YAML ({@code config/features.yaml}):
 * <pre>
 * name: equities-15min
 * features:
 *   - default                  # a group: default, alpha158, tech, vol, intra, rel
 *   - tech_rsi: [9, 30]        # an indicator over windows (all its variants)
 *   - tech_bbands_50_pctb      # one feature by name
 * cross_sectional: {ops: [rank, zscore], features: [tech_rsi_14_raw]}
 * labels: {horizons: [1, 4, 26]}
 * nan_policy: keep             # keep | drop_warmup
 * </pre>
 * Resolve it against the library with {@link FeaturePlan#resolve}.
 */
public record FeatureSetSpec(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty(value = "features", required = true) List<JsonNode> features,
        @JsonProperty("cross_sectional") CrossSectionalSpec crossSectional,
        @JsonProperty("labels") LabelSpec labels,
        @JsonProperty("nan_policy") NanPolicy nanPolicy) {

    private static final Pattern SET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final String DEFAULT_RESOURCE = "foresail/config/features.yaml";

    public FeatureSetSpec {
        if (name == null || !SET_NAME.matcher(name).matches()) {
            throw new InvalidInputException("name '" + name + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (features == null || features.isEmpty()) {
            throw new InvalidInputException("features is empty; list groups, indicators or feature names");
        }
        features = List.copyOf(features);
        crossSectional = crossSectional == null ? CrossSectionalSpec.none() : crossSectional;
        labels = labels == null ? LabelSpec.defaults() : labels;
        nanPolicy = nanPolicy == null ? NanPolicy.KEEP : nanPolicy;
    }

    public static FeatureSetSpec load(Path file) {
        return Yaml.read(file, FeatureSetSpec.class);
    }

    /** The embedded default spec (the repository's {@code config/features.yaml}). */
    public static FeatureSetSpec defaultSpec() {
        return Yaml.readResource(DEFAULT_RESOURCE, FeatureSetSpec.class);
    }

    public static FeatureSetSpec loadOrDefault(Path file) {
        return file == null ? defaultSpec() : load(file);
    }
}
