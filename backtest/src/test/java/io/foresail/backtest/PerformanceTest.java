package io.foresail.backtest;

import io.foresail.backtest.analytics.Performance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The figures on series small enough to work by hand. */
class PerformanceTest {

    @Test
    void sharpeAndSortinoByHand() {
        double[] r = {0.01, -0.01, 0.02, 0.0};
        // mean 0.005; sample variance ((0.005)^2 + (0.015)^2 + (0.015)^2 + (0.005)^2) / 3 = 0.0005 / 3
        double sd = Math.sqrt(0.0005 / 3);
        assertThat(Performance.sharpe(r)).isCloseTo(0.005 / sd * Math.sqrt(252), within(1e-12));
        // downside: sqrt(0.0001 / 4) a day
        assertThat(Performance.sortino(r)).isCloseTo(0.005 * 252 / (0.005 * Math.sqrt(252)), within(1e-9));
    }

    @Test
    void drawdownCountsFromTheStartAndMeasuresItsLength() {
        double[] dd = Performance.drawdown(new double[] {-0.1, 0.05, 0.05, -0.2, 0.3});
        // 0.9, 0.945, 0.99225, 0.7938, 1.03194: worst 0.7938 / 1 - 1, four days under the start's peak.
        assertThat(dd[0]).isCloseTo(0.7938 - 1, within(1e-12));
        assertThat(dd[1]).isEqualTo(4);
    }

    @Test
    void betaIsTheRegressionSlopeAndAlphaTheCompoundedIntercept() {
        double[] b = {0.01, -0.02, 0.015, 0.0, -0.005};
        double[] r = new double[b.length];
        for (int k = 0; k < b.length; k++) {
            r[k] = 0.0002 + 1.5 * b[k];
        }
        double[] ab = Performance.alphaBeta(r, b);
        assertThat(ab[1]).isCloseTo(1.5, within(1e-12));
        assertThat(ab[0]).isCloseTo(Math.pow(1.0002, 252) - 1, within(1e-12));
    }

    @Test
    void annualReturnCompounds() {
        double[] r = new double[504];
        java.util.Arrays.fill(r, Math.pow(1.1, 1 / 252.0) - 1);
        assertThat(Performance.annualReturn(r)).isCloseTo(0.1, within(1e-12));
    }
}
