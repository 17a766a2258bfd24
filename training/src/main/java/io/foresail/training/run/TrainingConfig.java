package io.foresail.training.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.config.Yaml;
import io.foresail.core.error.InvalidInputException;
import io.foresail.models.Task;
import io.foresail.training.split.WalkForwardSplit;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training job's configuration ({@code config/training.yaml}): the label to predict, the
 * walk-forward split, the search budget and the models with their hyperparameters. Unknown keys,
 * models and hyperparameters are errors, found before any training starts.
 *
 * <pre>
 * target: label_fwd_1_excess      # a label of the feature set; *_class labels train classifiers
 * day_return: label_fwd_26_raw    # one-session forward return for the long-short portfolio
 * seed: 42
 * threads: 2                      # per model fit; recorded in the model card
 * parallelism: 1                  # trials at once (local); Spark uses its executors
 * cost_bps: 5
 * sequence_length: 16             # bars of history per sample for lstm / transformer
 * walk_forward: {mode: rolling, train_months: 24, validation_months: 3, test_months: 3,
 *                step_months: 3, purge_bars: 26, embargo_bars: 26}
 * search: {trials: 8, time_budget_minutes: 60}
 * models:
 *   xgboost: {hyperparameters: {max_depth: 4}, search: {eta: [0.01, 0.2]}}
 *   lightgbm: {}
 *   ridge: {}
 * ensemble: {members: [xgboost, lightgbm], alpha: 1.0, non_negative: true, passthrough_top_k: 0}
 * </pre>
 */
public record TrainingConfig(
        @JsonProperty(value = "target", required = true) String target,
        @JsonProperty("day_return") String dayReturn,
        @JsonProperty("seed") Long seed,
        @JsonProperty("threads") Integer threads,
        @JsonProperty("parallelism") Integer parallelism,
        @JsonProperty("cost_bps") Double costBps,
        @JsonProperty("sequence_length") Integer sequenceLength,
        @JsonProperty(value = "walk_forward", required = true) WalkForward walkForward,
        @JsonProperty("search") Search search,
        @JsonProperty(value = "models", required = true) LinkedHashMap<String, ModelConfig> models,
        @JsonProperty("ensemble") Ensemble ensemble) {

    public static final String DEFAULT_RESOURCE = "foresail/config/training.yaml";
    private static final Pattern LABEL = Pattern.compile("label_(fwd|dir)_(\\d+)_(raw|excess|class)");

    public TrainingConfig {
        Matcher m = LABEL.matcher(target == null ? "" : target);
        if (!m.matches()) {
            throw new InvalidInputException("target '" + target + "' is not a label name (label_fwd_<h>_raw, "
                    + "label_fwd_<h>_excess or label_dir_<h>_class)");
        }
        dayReturn = dayReturn == null ? "label_fwd_26_raw" : dayReturn;
        seed = seed == null ? 42L : seed;
        threads = threads == null ? 2 : threads;
        parallelism = parallelism == null ? 1 : parallelism;
        costBps = costBps == null ? 5.0 : costBps;
        sequenceLength = sequenceLength == null ? 16 : sequenceLength;
        if (sequenceLength < 1) {
            throw new InvalidInputException("sequence_length must be at least 1, got " + sequenceLength);
        }
        search = search == null ? new Search(null, null) : search;
        if (threads < 1 || parallelism < 1) {
            throw new InvalidInputException("threads and parallelism must be at least 1");
        }
        if (models == null || models.isEmpty()) {
            throw new InvalidInputException("models is empty; name at least one of xgboost, lightgbm, ridge, lstm");
        }
        ensemble = ensemble == null ? new Ensemble(null, null, null, null) : ensemble;
        for (String member : ensemble.members() == null ? List.<String>of() : ensemble.members()) {
            if (!models.containsKey(member)) {
                throw new InvalidInputException("ensemble.members names '" + member + "', which is not under models ("
                        + String.join(", ", models.keySet()) + ")");
            }
        }
    }

    /** This configuration with another search budget. */
    public TrainingConfig withSearch(Search other) {
        return new TrainingConfig(target, dayReturn, seed, threads, parallelism, costBps, sequenceLength, walkForward, other,
                models, ensemble);
    }

    /** The level-0 models of the stacked ensemble: {@code ensemble.members}, or every configured model. */
    public List<String> ensembleMembers() {
        return ensemble.members() == null ? List.copyOf(models.keySet()) : ensemble.members();
    }

    public static TrainingConfig load(Path file) {
        return Yaml.read(file, TrainingConfig.class);
    }

    public static TrainingConfig defaults() {
        return Yaml.readResource(DEFAULT_RESOURCE, TrainingConfig.class);
    }

    public static TrainingConfig loadOrDefault(Path file) {
        return file == null ? defaults() : load(file);
    }

    public Task task() {
        return target.endsWith("_class") ? Task.CLASSIFICATION : Task.REGRESSION;
    }

    /** Bars the target's label window spans after its bar. */
    public int horizonBars() {
        Matcher m = LABEL.matcher(target);
        if (!m.matches()) {
            throw new IllegalStateException(target);
        }
        return Integer.parseInt(m.group(2));
    }

    public WalkForwardSplit split() {
        return walkForward.split();
    }

    /** The walk-forward section. */
    public record WalkForward(
            @JsonProperty("mode") WalkForwardSplit.Mode mode,
            @JsonProperty(value = "train_months", required = true) int trainMonths,
            @JsonProperty(value = "validation_months", required = true) int validationMonths,
            @JsonProperty(value = "test_months", required = true) int testMonths,
            @JsonProperty("step_months") Integer stepMonths,
            @JsonProperty(value = "purge_bars", required = true) int purgeBars,
            @JsonProperty("embargo_bars") Integer embargoBars) {

        WalkForwardSplit split() {
            return new WalkForwardSplit(mode == null ? WalkForwardSplit.Mode.ROLLING : mode, trainMonths,
                    validationMonths, testMonths, stepMonths == null ? testMonths : stepMonths, purgeBars,
                    embargoBars == null ? 0 : embargoBars);
        }
    }

    /** The hyperparameter search section: trials per model and fold, and a wall-clock budget per search. */
    public record Search(@JsonProperty("trials") Integer trials,
                         @JsonProperty("time_budget_minutes") Double timeBudgetMinutes) {
        public Search {
            trials = trials == null ? 8 : trials;
            timeBudgetMinutes = timeBudgetMinutes == null ? 60.0 : timeBudgetMinutes;
            if (trials < 1) {
                throw new InvalidInputException("search.trials must be at least 1 (1 = no search, the configured values)");
            }
        }
    }

    /**
     * The stacked ensemble (docs/ensemble.md): which models are its level-0 members (default:
     * all), and the level-1 meta-learner: a ridge (logistic for a classification target) on the
     * members' out-of-fold predictions with penalty {@code alpha} on standardised inputs, member
     * weights kept {@code non_negative} if asked, and the {@code passthrough_top_k} raw features
     * most correlated with the target on the meta-learner's rows added as inputs.
     */
    public record Ensemble(@JsonProperty("members") List<String> members,
                           @JsonProperty("alpha") Double alpha,
                           @JsonProperty("non_negative") Boolean nonNegative,
                           @JsonProperty("passthrough_top_k") Integer passthroughTopK) {
        public Ensemble {
            members = members == null ? null : List.copyOf(members);
            alpha = alpha == null ? 1.0 : alpha;
            nonNegative = nonNegative == null ? Boolean.FALSE : nonNegative;
            passthroughTopK = passthroughTopK == null ? 0 : passthroughTopK;
            if (members != null && (members.isEmpty() || new java.util.HashSet<>(members).size() != members.size())) {
                throw new InvalidInputException("ensemble.members must name at least one model, each once; got " + members);
            }
            if (!(alpha >= 0) || Double.isInfinite(alpha)) {
                throw new InvalidInputException("ensemble.alpha must be a finite number >= 0, got " + alpha);
            }
            if (passthroughTopK < 0) {
                throw new InvalidInputException("ensemble.passthrough_top_k must be >= 0, got " + passthroughTopK);
            }
        }
    }

    /** One model: fixed hyperparameters, and search ranges that replace the model's defaults. */
    public record ModelConfig(@JsonProperty("hyperparameters") Map<String, Object> hyperparameters,
                              @JsonProperty("search") Map<String, List<Double>> search) {
        public ModelConfig {
            hyperparameters = hyperparameters == null ? Map.of() : hyperparameters;
            search = search == null ? Map.of() : search;
        }
    }
}
