package io.foresail.models.stacked;

import io.foresail.core.error.InvalidInputException;
import io.foresail.models.Task;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The meta-learner recovers planted blends, keeps member weights non-negative when asked, fits a
 * classifier's log-odds, treats a missing passthrough value as its mean, and is deterministic.
 */
class MetaLearnerTest {

    /** Three member predictions with a known blend: y = 0.5 + 2 a + 1 b + 0 c + noise. */
    private static double[][] members(int n, long seed, double[] y) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] c = new double[3][n];
        for (int i = 0; i < n; i++) {
            c[0][i] = r.nextGaussian() * 2 + 1;
            c[1][i] = r.nextGaussian() * 0.5;
            c[2][i] = r.nextGaussian();
            y[i] = 0.5 + 2 * c[0][i] + 1 * c[1][i] + 0.05 * r.nextGaussian();
        }
        return c;
    }

    @Test
    void recoversAPlantedBlendOnTheRawScale() {
        int n = 20_000;
        double[] y = new double[n];
        double[][] c = members(n, 1, y);
        MetaLearner m = MetaLearner.fit(List.of("a", "b", "c"), c, y, 3, Task.REGRESSION, 0.0, false);
        assertThat(m.rawWeight(0)).isCloseTo(2.0, within(0.01));
        assertThat(m.rawWeight(1)).isCloseTo(1.0, within(0.01));
        assertThat(m.rawWeight(2)).isCloseTo(0.0, within(0.01));
        double[] p = m.predict(new double[][]{{1.0}, {0.0}, {5.0}}, 1);
        assertThat(p[0]).isCloseTo(2.5, within(0.02));
        // A penalty shrinks the standardised weights towards zero, never flips them.
        MetaLearner shrunk = MetaLearner.fit(List.of("a", "b", "c"), c, y, 3, Task.REGRESSION, 1.0, false);
        assertThat(Math.abs(shrunk.weights()[0])).isLessThan(Math.abs(m.weights()[0]));
        assertThat(shrunk.weights()[0]).isPositive();
    }

    @Test
    void nonNegativeWeightsDropAMemberThatOnlyHelpsUpsideDown() {
        int n = 10_000;
        SplittableRandom r = new SplittableRandom(2);
        double[][] c = new double[2][n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = r.nextGaussian();
            double t = r.nextGaussian();
            c[0][i] = s + t;
            c[1][i] = t;       // correlated with the first member, useful only with a negative weight
            y[i] = s + 0.1 * r.nextGaussian();
        }
        MetaLearner free = MetaLearner.fit(List.of("good", "hedge"), c, y, 2, Task.REGRESSION, 0.0, false);
        assertThat(free.weights()[1]).as("unconstrained, the hedge gets a negative weight").isNegative();
        MetaLearner kept = MetaLearner.fit(List.of("good", "hedge"), c, y, 2, Task.REGRESSION, 0.0, true);
        assertThat(kept.weights()[1]).isZero();
        assertThat(kept.weights()[0]).isPositive();
        // The constrained optimum with the hedge at zero is the one-input least squares fit: cov(x, y) / var(x).
        double slope = covariance(c[0], y) / covariance(c[0], c[0]);
        assertThat(kept.rawWeight(0)).isCloseTo(slope, within(1e-9));
    }

    @Property(tries = 50, seed = "42")
    void nonNegativeMemberWeightsAreNeverNegative(@ForAll @IntRange(min = 30, max = 400) int n,
                                                  @ForAll @DoubleRange(min = 0, max = 5) double alpha,
                                                  @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] c = new double[4][n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                c[j][i] = r.nextGaussian();
            }
            c[3][i] = r.nextInt(5) == 0 ? Double.NaN : c[3][i];
            y[i] = r.nextGaussian() - 0.7 * c[0][i] + 0.3 * c[1][i];
        }
        MetaLearner m = MetaLearner.fit(List.of("a", "b", "c", "feature"), c, y, 3, Task.REGRESSION, alpha, true);
        for (int j = 0; j < 3; j++) {
            assertThat(m.weights()[j]).isGreaterThanOrEqualTo(0.0);
        }
        assertThat(java.util.Arrays.stream(m.predict(c, n)).allMatch(Double::isFinite)).isTrue();
        // Same rows, same bytes.
        assertThat(MetaLearner.fit(List.of("a", "b", "c", "feature"), c, y, 3, Task.REGRESSION, alpha, true)).isEqualTo(m);
    }

    @Test
    void aClassificationTargetGetsCalibratedProbabilities() {
        int n = 40_000;
        SplittableRandom r = new SplittableRandom(3);
        double[][] c = new double[1][n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            c[0][i] = r.nextGaussian();
            double p = 1 / (1 + Math.exp(-(0.3 + 1.5 * c[0][i])));
            y[i] = r.nextDouble() < p ? 1 : 0;
        }
        MetaLearner m = MetaLearner.fit(List.of("p"), c, y, 1, Task.CLASSIFICATION, 0.0, false);
        assertThat(m.logistic()).isTrue();
        assertThat(m.rawWeight(0)).isCloseTo(1.5, within(0.08));
        double[] at = m.predict(new double[][]{{0.0, 2.0}}, 2);
        assertThat(at[0]).isCloseTo(1 / (1 + Math.exp(-0.3)), within(0.02));
        assertThat(at[1]).isCloseTo(1 / (1 + Math.exp(-3.3)), within(0.02));
    }

    @Test
    void aMissingPassthroughValueAddsNothingAndMissingMemberPredictionsAreRefused() {
        int n = 1_000;
        double[] y = new double[n];
        double[][] c = members(n, 4, y);
        c[2][7] = Double.NaN;
        MetaLearner m = MetaLearner.fit(List.of("a", "b", "f"), c, y, 2, Task.REGRESSION, 0.1, false);
        double[] withMean = m.predict(new double[][]{{1.0}, {0.2}, {m.mean()[2]}}, 1);
        double[] missing = m.predict(new double[][]{{1.0}, {0.2}, {Double.NaN}}, 1);
        assertThat(missing[0]).isEqualTo(withMean[0]);
        assertThatThrownBy(() -> MetaLearner.fit(List.of("a", "b", "f"), c, y, 3, Task.REGRESSION, 0.1, false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("member f has 1 missing out-of-fold");
        assertThatThrownBy(() -> MetaLearner.fit(List.of("a", "b", "f"), new double[][]{{1}, {2}, {3}}, new double[]{1}, 3,
                Task.REGRESSION, 0.1, false)).isInstanceOf(InvalidInputException.class).hasMessageContaining("more rows than inputs");
    }

    private static double covariance(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElseThrow();
        double mb = java.util.Arrays.stream(b).average().orElseThrow();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - ma) * (b[i] - mb);
        }
        return s / a.length;
    }
}
