package io.foresail.features.set;

import io.foresail.core.io.Sha256;
import io.foresail.core.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.features.spec.FeatureSetSpec;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * The identity of a feature set: the first 16 hex digits of a SHA-256 over the resolved spec
 * (every column name, labels, NaN policy), each kernel's version, the engine version, the
 * timeframe, the universe's sector mapping and the input bar store's content hash. Same inputs,
 * same id; any change to any of them, a new id.
 */
public final class FeatureSetId {
    private static final ObjectMapper CANONICAL = Json.SORTED;

    private FeatureSetId() {
    }

    public static String compute(FeaturePlan plan, String timeframe, Map<String, String> sectors, String barManifestHash) {
        ObjectNode root = CANONICAL.createObjectNode();
        root.put("name", plan.name());
        root.set("spec", specJson(plan.spec()));
        root.putPOJO("columns", plan.featureNames());
        root.putPOJO("labels", plan.labels().names());
        root.put("nan_policy", plan.nanPolicy().name());
        root.putPOJO("kernel_versions", plan.kernelVersions());
        root.put("engine_version", FeaturePlan.ENGINE_VERSION);
        root.put("timeframe", timeframe);
        root.putPOJO("sectors", new java.util.TreeMap<>(sectors));
        root.put("bar_manifest_hash", barManifestHash);
        try {
            byte[] canonical = CANONICAL.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
            byte[] digest = Sha256.digest().digest(canonical);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The spec as JSON, as stored in the manifest. */
    public static JsonNode specJson(FeatureSetSpec spec) {
        return CANONICAL.valueToTree(spec);
    }

    /** The inverse of {@link #specJson}, for shipping a spec to executors. */
    public static FeatureSetSpec specFromJson(String json) {
        try {
            return CANONICAL.readValue(json, FeatureSetSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a feature set spec: " + e.getOriginalMessage(), e);
        }
    }
}
