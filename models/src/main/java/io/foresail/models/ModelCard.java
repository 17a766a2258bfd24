package io.foresail.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.foresail.core.error.InvalidInputException;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code model.json}: what a model artifact is (docs/architecture.md "Model artifact"). Everything needed to
 * use the model correctly travels with it: the feature names in input order, the feature set it
 * was trained on, the label it predicts, its hyperparameters, training window, seed and the thread
 * count that makes training reproducible. Times are ISO-8601 UTC bar starts.
 *
 * @param type            the implementation, e.g. {@code xgboost}; {@link ModelArtifact#load} dispatches on it
 * @param files           the model's own files in the directory (model.json and checksums aside)
 * @param attributes      implementation details worth keeping, e.g. the early-stopping iteration
 * @param inputs          the feature set and plan the inputs come from, so the live path can rebuild
 *                        them; absent (null) for a model not trained on a feature set (an import, a test)
 */
@JsonPropertyOrder(alphabetic = true)
public record ModelCard(
        @JsonProperty("format") String format,
        @JsonProperty("type") String type,
        @JsonProperty("task") Task task,
        @JsonProperty("feature_set_id") String featureSetId,
        @JsonProperty("features") List<String> features,
        @JsonProperty("sequence_length") int sequenceLength,
        @JsonProperty("target") String target,
        @JsonProperty("hyperparameters") Map<String, Object> hyperparameters,
        @JsonProperty("train_from") String trainFrom,
        @JsonProperty("train_to") String trainTo,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("seed") long seed,
        @JsonProperty("threads") int threads,
        @JsonProperty("files") List<String> files,
        @JsonProperty("attributes") Map<String, String> attributes,
        @JsonProperty("inputs") @JsonInclude(JsonInclude.Include.NON_NULL) ModelInputs inputs) {

    public static final String FILE = "model.json";
    public static final String FORMAT = "foresail-model/1";

    public ModelCard {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(task, "task");
        if (!FORMAT.equals(format)) {
            throw new InvalidInputException("model.json format is '" + format + "', expected " + FORMAT);
        }
        if (features == null || features.isEmpty()) {
            throw new InvalidInputException("model.json of a " + type + " model lists no features");
        }
        features = List.copyOf(features);
        hyperparameters = hyperparameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(hyperparameters));
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
        files = files == null ? List.of() : List.copyOf(files);
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
        if (threads < 1) {
            throw new InvalidInputException("model.json threads must be at least 1, got " + threads);
        }
    }

    /** A card without recorded inputs (a model not trained on a feature set). */
    public ModelCard(String format, String type, Task task, String featureSetId, List<String> features, int sequenceLength,
                     String target, Map<String, Object> hyperparameters, String trainFrom, String trainTo,
                     Map<String, Double> metrics, long seed, int threads, List<String> files, Map<String, String> attributes) {
        this(format, type, task, featureSetId, features, sequenceLength, target, hyperparameters, trainFrom, trainTo,
                metrics, seed, threads, files, attributes, null);
    }

    /** The same card listing the artifact's files (set when it is saved). */
    public ModelCard withFiles(List<String> files) {
        return new ModelCard(format, type, task, featureSetId, features, sequenceLength, target, hyperparameters,
                trainFrom, trainTo, metrics, seed, threads, files, attributes, inputs);
    }

    public ModelCard withMetrics(Map<String, Double> metrics) {
        return new ModelCard(format, type, task, featureSetId, features, sequenceLength, target, hyperparameters,
                trainFrom, trainTo, metrics, seed, threads, files, attributes, inputs);
    }

    /** The same card with the inputs it was trained on. */
    public ModelCard withInputs(ModelInputs in) {
        return new ModelCard(format, type, task, featureSetId, features, sequenceLength, target, hyperparameters,
                trainFrom, trainTo, metrics, seed, threads, files, attributes, in);
    }

    /** Checks that a matrix has this model's inputs: as many columns as features. */
    public void checkInputs(FeatureMatrix x) {
        if (x.cols() != features.size()) {
            throw new InvalidInputException(type + " model expects " + features.size() + " features ("
                    + String.join(", ", features.subList(0, Math.min(3, features.size())))
                    + (features.size() > 3 ? ", ..." : "") + "), got a matrix of " + x.cols() + " columns");
        }
    }
}
