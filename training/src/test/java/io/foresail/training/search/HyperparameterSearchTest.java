package io.foresail.training.search;

import io.foresail.models.Hyperparameters;
import io.foresail.models.SearchSpace;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The genetic search: budget respected, deterministic for a seed, improves on the defaults. */
class HyperparameterSearchTest {
    private static final SearchSpace SPACE = new SearchSpace("toy", List.of(
            SearchSpace.log("rate", 0.01, 1e-4, 1),
            SearchSpace.integer("depth", 2, 1, 12),
            SearchSpace.linear("fraction", 0.5, 0, 1),
            SearchSpace.integer("fixed", 7, 7, 7)));

    /** Peak at rate 0.1, depth 6, fraction 0.8; a smooth bowl in the search's own coordinates. */
    private static Double objective(Hyperparameters h) {
        double lr = Math.log10(h.getDouble("rate")) + 1;
        double d = (h.getInt("depth") - 6) / 4.0;
        double f = h.getDouble("fraction") - 0.8;
        return -(lr * lr + d * d + f * f) + h.getInt("fixed") * 0;
    }

    @Test
    void searchIsBoundedDeterministicAndBeatsTheDefaults() {
        HyperparameterSearch.Result a = search(40, 7, TrialRunner.sequential());
        HyperparameterSearch.Result b = search(40, 7, TrialRunner.local(3));
        assertThat(a.trials()).hasSize(40);
        assertThat(a.trials().get(0).hyperparameters()).as("the defaults are the first trial").isEqualTo(SPACE.defaults());
        assertThat(b.trials()).isEqualTo(a.trials());
        assertThat(a.best().score()).isGreaterThan(objective(SPACE.defaults()) + 0.5);
        assertThat(a.trials()).allSatisfy(t -> {
            assertThat(t.hyperparameters().getInt("fixed")).isEqualTo(7);
            assertThat(t.hyperparameters().getDouble("rate")).isBetween(1e-4, 1.0);
        });
        HyperparameterSearch.Result other = search(40, 8, TrialRunner.sequential());
        assertThat(other.trials()).isNotEqualTo(a.trials());
    }

    private static HyperparameterSearch.Result search(int trials, long seed, TrialRunner runner) {
        return new HyperparameterSearch(SPACE, SPACE.defaults(), trials, Duration.ofMinutes(5), seed)
                .run(points -> runner.run(points, HyperparameterSearchTest::objective));
    }
}
