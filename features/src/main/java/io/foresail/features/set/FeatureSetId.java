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
 * The identity of a feature set, in two parts.
 * <ul>
 *   <li>The <b>plan</b>: which computation. A canonical JSON document of the resolved spec (every
 *       column name in order, labels, NaN policy), each kernel's version, the engine version, the
 *       timeframe, the benchmark and the universe's sector of each symbol; its {@link #planHash} is
 *       the first 16 hex digits of its SHA-256. The live path recomputes it from its own engine:
 *       equal hashes mean the same inputs, computed the same way.</li>
 *   <li>The <b>data</b>: which bars, the input bar store's content hash.</li>
 * </ul>
 * The feature set id is the first 16 hex digits of a SHA-256 over both. Same inputs, same id; any
 * change to either, a new id.
 */
public final class FeatureSetId {
    private static final ObjectMapper CANONICAL = Json.SORTED;

    private FeatureSetId() {
    }

    /**
     * The plan document: everything that decides how bars become feature columns.
     *
     * @param sectors   sector of each equity symbol of the set
     * @param benchmark the benchmark symbol (excess labels, benchmark-relative features)
     */
    public static ObjectNode plan(FeaturePlan plan, String timeframe, Map<String, String> sectors, String benchmark) {
        ObjectNode root = CANONICAL.createObjectNode();
        root.put("name", plan.name());
        root.set("spec", specJson(plan.spec()));
        root.putPOJO("columns", plan.featureNames());
        root.putPOJO("labels", plan.labels().names());
        root.put("nan_policy", plan.nanPolicy().name());
        root.putPOJO("kernel_versions", new java.util.TreeMap<>(plan.kernelVersions()));
        root.put("engine_version", FeaturePlan.ENGINE_VERSION);
        root.put("timeframe", timeframe);
        root.put("benchmark", benchmark);
        root.putPOJO("sectors", new java.util.TreeMap<>(sectors));
        // Through bytes and back, so the document compares equal to one read from a manifest.
        return (ObjectNode) CANONICAL.valueToTree(root);
    }

    /** The plan document's hash: 16 hex digits of the SHA-256 of its canonical form. */
    public static String planHash(JsonNode plan) {
        return hash(canonical(plan));
    }

    /** The feature set id of a plan over a bar store with content hash {@code barManifestHash}. */
    public static String compute(String planHash, String barManifestHash) {
        return hash("plan " + planHash + "\nbars " + barManifestHash + "\n");
    }

    /**
     * Where two plan documents first differ, as "path: expected X, found Y" (object fields in key
     * order, arrays by index), or empty when they are equal.
     */
    public static java.util.Optional<String> firstDifference(JsonNode expected, JsonNode found) {
        return difference("", expected, found);
    }

    private static java.util.Optional<String> difference(String path, JsonNode a, JsonNode b) {
        if (a == null || b == null || a.getNodeType() != b.getNodeType()) {
            return a != null && a.equals(b) ? java.util.Optional.empty()
                    : java.util.Optional.of(where(path) + ": expected " + brief(a) + ", found " + brief(b));
        }
        if (a.isObject()) {
            java.util.TreeSet<String> names = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                var d = difference(path.isEmpty() ? n : path + "." + n, a.get(n), b.get(n));
                if (d.isPresent()) {
                    return d;
                }
            }
            return java.util.Optional.empty();
        }
        if (a.isArray()) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                var d = difference(path + "[" + i + "]", a.get(i), b.get(i));
                if (d.isPresent()) {
                    return d;
                }
            }
            return java.util.Optional.empty();
        }
        return a.equals(b) ? java.util.Optional.empty()
                : java.util.Optional.of(where(path) + ": expected " + brief(a) + ", found " + brief(b));
    }

    private static String where(String path) {
        return path.isEmpty() ? "the plan" : path;
    }

    private static String brief(JsonNode n) {
        if (n == null) {
            return "nothing";
        }
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    private static String canonical(JsonNode n) {
        try {
            return CANONICAL.writeValueAsString(CANONICAL.treeToValue(n, Object.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hash(String text) {
        byte[] digest = Sha256.digest().digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
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
