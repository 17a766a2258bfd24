package io.foresail.trading;

import io.foresail.trading.portfolio.PortfolioConstruction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PortfolioConstructionTest {

    @Test
    void topKLongOnlyHoldsTheHighestScoresEqually() {
        double[] w = new double[6];
        PortfolioConstruction.longOnlyTopK(2).weights(new double[] {0.1, 0.5, Double.NaN, -0.2, 0.4, 0.3}, w);
        assertThat(w).containsExactly(0, 0.5, 0, 0, 0.5, 0);
    }

    @Test
    void longShortQuantilesIsDollarNeutralAndSkipsUnscoredNames() {
        double[] w = new double[6];
        PortfolioConstruction.longShortQuantiles(2).weights(new double[] {0.1, 0.5, Double.NaN, -0.2, 0.4, 0.3}, w);
        assertThat(w).containsExactly(-0.25, 0.25, 0, -0.25, 0.25, 0);
    }

    @Test
    void aLongShortBookNeverPutsOneNameOnBothSides() {
        double[] w = new double[3];
        PortfolioConstruction.longShortQuantiles(5).weights(new double[] {1, 2, 3}, w);
        assertThat(w).containsExactly(-0.5, 0, 0.5);
    }

    @Test
    void tiesAreBrokenByUniverseOrderTheSameWayEveryTime() {
        double[] w = new double[4];
        PortfolioConstruction.longOnlyTopK(1).weights(new double[] {1, 1, 1, 0}, w);
        assertThat(w).containsExactly(0, 0, 1, 0);
        PortfolioConstruction.longShortQuantiles(1).weights(new double[] {1, 1, 1, 1}, w);
        assertThat(w).containsExactly(-0.5, 0, 0, 0.5);
    }

    @Test
    void scoreWeightedIsDemeanedWithGrossOne() {
        double[] w = new double[4];
        PortfolioConstruction.scoreWeighted(false).weights(new double[] {1, 2, 3, Double.NaN}, w);
        assertThat(w[0]).isCloseTo(-0.5, within(1e-12));
        assertThat(w[1]).isCloseTo(0, within(1e-12));
        assertThat(w[2]).isCloseTo(0.5, within(1e-12));
        assertThat(w[3]).isZero();
        PortfolioConstruction.scoreWeighted(true).weights(new double[] {1, 2, 3, 6}, w);
        assertThat(w).containsExactly(0, 0, 0, 1);
    }

    @Property(seed = "15")
    void everyConstructionHasGrossOneOrNothingAndRespectsTheScoreOrder(
            @ForAll @Size(min = 1, max = 60) List<@DoubleRange(min = -1, max = 1) Double> raw) {
        double[] scores = raw.stream().mapToDouble(Double::doubleValue).toArray();
        for (PortfolioConstruction c : List.of(PortfolioConstruction.longOnlyTopK(5),
                PortfolioConstruction.longShortQuantiles(5), PortfolioConstruction.scoreWeighted(false))) {
            double[] w = new double[scores.length];
            c.weights(scores, w);
            double gross = 0;
            for (double x : w) {
                gross += Math.abs(x);
            }
            assertThat(gross == 0 || Math.abs(gross - 1) < 1e-9).as("gross %s", gross).isTrue();
            for (int i = 0; i < w.length; i++) {
                for (int j = 0; j < w.length; j++) {
                    if (scores[i] > scores[j]) {
                        assertThat(w[i]).as("a higher score never gets a lower weight").isGreaterThanOrEqualTo(w[j]);
                    }
                }
            }
        }
    }
}
