package io.foresail.models;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a fit is, apart from its data: the task, the hyperparameters, the input features (in matrix
 * column order), the target, the feature set and training window it came from, and the seed and
 * thread count that make it reproducible. Every fit request of every shape carries one, and every
 * model card is made from one ({@link #card}), so a new backend cannot forget a field.
 *
 * @param trainFrom first training bar, ISO-8601 UTC (empty when not from a feature set)
 * @param trainTo   last training bar, ISO-8601 UTC (empty when not from a feature set)
 * @param threads   native threads of the fit and of the model's predictions; pinned, because a
 *                  different count can change the last bits of a GBM's sums
 * @param inputs    the feature set's plan, written into the card; null for a fit not drawn from one
 */
public record FitProvenance(
        Task task,
        Hyperparameters hyperparameters,
        List<String> features,
        String target,
        String featureSetId,
        String trainFrom,
        String trainTo,
        long seed,
        int threads,
        ModelInputs inputs) implements java.io.Serializable {

    /** A fit not drawn from a feature set (tests, benchmarks): no recorded inputs. */
    public FitProvenance(Task task, Hyperparameters hyperparameters, List<String> features, String target,
                         String featureSetId, String trainFrom, String trainTo, long seed, int threads) {
        this(task, hyperparameters, features, target, featureSetId, trainFrom, trainTo, seed, threads, null);
    }

    public FitProvenance {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(hyperparameters, "hyperparameters");
        features = List.copyOf(features);
        Objects.requireNonNull(target, "target");
        featureSetId = featureSetId == null ? "" : featureSetId;
        trainFrom = trainFrom == null ? "" : trainFrom;
        trainTo = trainTo == null ? "" : trainTo;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** The same fit with other hyperparameters (a search trial). */
    public FitProvenance with(Hyperparameters h) {
        return new FitProvenance(task, h, features, target, featureSetId, trainFrom, trainTo, seed, threads, inputs);
    }

    /**
     * The card of a model fitted under this provenance.
     *
     * @param sequenceLength bars per input window; 0 for a model of single rows
     * @param attributes     what the backend adds (its library, kept trees, ...)
     */
    public ModelCard card(String type, int sequenceLength, Map<String, String> attributes) {
        return new ModelCard(ModelCard.FORMAT, type, task, featureSetId, features, sequenceLength, target,
                hyperparameters.values(), trainFrom, trainTo, Map.of(), seed, threads, List.of(), attributes, inputs);
    }

    /** A request that carries a provenance; the shortcuts trainers read. */
    public interface Carrier {
        FitProvenance provenance();

        default Task task() {
            return provenance().task();
        }

        default Hyperparameters hyperparameters() {
            return provenance().hyperparameters();
        }

        default List<String> features() {
            return provenance().features();
        }

        default String target() {
            return provenance().target();
        }

        default long seed() {
            return provenance().seed();
        }

        default int threads() {
            return provenance().threads();
        }
    }
}
