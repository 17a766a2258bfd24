package io.foresail.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CorrelationTest {
    @Test
    void pearsonOfALinearRelationIsOneAndOfAMirrorIsMinusOne() {
        double[] x = {1, 2, 3, 4, 5};
        assertThat(Correlation.pearson(x, new double[] {3, 5, 7, 9, 11})).isCloseTo(1.0, within(1e-15));
        assertThat(Correlation.pearson(x, new double[] {5, 4, 3, 2, 1})).isCloseTo(-1.0, within(1e-15));
    }

    @Test
    void spearmanUsesAverageRanksForTiesAndSkipsNaN() {
        // ranks x: 1, 2.5, 2.5, 4 ; y: 1, 2, 3, 4 -> pearson of ranks = 0.9486832980505138 (by hand)
        double[] x = {10, 20, 20, 30, Double.NaN};
        double[] y = {1, 2, 3, 4, 100};
        assertThat(Correlation.spearman(x, y)).isCloseTo(3 / Math.sqrt(10), within(1e-12));
        assertThat(Correlation.spearman(new double[] {1, 2, 3}, new double[] {1, 8, 27})).isEqualTo(1.0);
        assertThat(Correlation.pearson(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
    }
}
