package io.foresail.models;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * What a model's inputs are, so that a registered model can rebuild them on the live path: the
 * feature set it was trained on, and that set's <em>plan</em> (the canonical document of how bars
 * become its columns: the resolved spec, every column in order, kernel and engine versions,
 * timeframe, benchmark, each symbol's sector) with the plan's hash. The plan is opaque JSON here;
 * the feature engine that reads it is in the {@code features} module.
 *
 * @param featureSetId    the feature set trained on (plan and bars)
 * @param planHash        16 hex digits; equal hashes mean the same inputs computed the same way
 * @param barManifestHash content hash of the bar store the set was built from
 * @param plan            the plan document itself, to name the first difference when hashes differ
 */
public record ModelInputs(@JsonProperty("feature_set_id") String featureSetId,
                          @JsonProperty("plan_hash") String planHash,
                          @JsonProperty("bar_manifest_hash") String barManifestHash,
                          @JsonProperty("plan") JsonNode plan) implements java.io.Serializable {

    public ModelInputs {
        Objects.requireNonNull(featureSetId, "featureSetId");
        Objects.requireNonNull(planHash, "planHash");
        Objects.requireNonNull(plan, "plan");
    }

    /** The plan's symbols and their sectors (the universe the features were computed over). */
    public java.util.Map<String, String> sectors() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        plan.path("sectors").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The benchmark symbol of the plan. */
    public String benchmark() {
        return plan.path("benchmark").asText(null);
    }

    /** The bar length of the plan, e.g. {@code 15Min}. */
    public String timeframe() {
        return plan.path("timeframe").asText(null);
    }
}
