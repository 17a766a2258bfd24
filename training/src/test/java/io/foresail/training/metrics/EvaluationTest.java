package io.foresail.training.metrics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The metrics against cases with known answers. */
class EvaluationTest {

    @Test
    void aucMatchesPairCounting() {
        double[] score = {0.1, 0.4, 0.35, 0.8, 0.8, 0.2};
        double[] label = {0, 0, 1, 1, 0, 1};
        // Positives 0.35, 0.8, 0.2 vs negatives 0.1, 0.4, 0.8: wins 0.35>0.1, 0.8>0.1, 0.8>0.4, 0.8=0.8 (half), 0.2>0.1.
        assertThat(Evaluation.auc(score, label)).isCloseTo(4.5 / 9, within(1e-12));
    }

    @Test
    void perfectAndInvertedRankingsGiveRankIcOfPlusAndMinusOne() {
        int bars = 26 * 20;
        int symbols = 10;
        long[] ts = new long[bars * symbols];
        int[] sym = new int[ts.length];
        double[] label = new double[ts.length];
        double[] day = new double[ts.length];
        SplittableRandom r = new SplittableRandom(1);
        for (int b = 0; b < bars; b++) {
            for (int s = 0; s < symbols; s++) {
                int i = b * symbols + s;
                // 26 bars a day, as on the 15-minute grid.
                ts[i] = (b / 26) * 86_400_000_000L + (b % 26) * 900_000_000L;
                sym[i] = s;
                label[i] = r.nextGaussian();
                day[i] = label[i];
            }
        }
        double[] inverted = label.clone();
        for (int i = 0; i < inverted.length; i++) {
            inverted[i] = -label[i];
        }
        Evaluation good = Evaluation.of(ts, sym, label, label, day, false, 10);
        Evaluation bad = Evaluation.of(ts, sym, inverted, label, day, false, 0);
        assertThat(good.rankIc()).isCloseTo(1.0, within(1e-12));
        assertThat(good.ic()).isCloseTo(1.0, within(1e-12));
        assertThat(good.bars()).isEqualTo(bars);
        assertThat(good.hitRate()).isEqualTo(1.0);
        assertThat(good.mse()).isZero();
        assertThat(bad.rankIc()).isCloseTo(-1.0, within(1e-12));
        assertThat(bad.hitRate()).isZero();
        assertThat(good.days()).isEqualTo(20);
        // Trading the label itself earns every day; costs lower a positive mean, so the Sharpe falls.
        assertThat(good.sharpeGross()).isGreaterThan(5);
        assertThat(good.sharpeNet()).isLessThan(good.sharpeGross());
        assertThat(bad.sharpeGross()).isLessThan(-5);
        assertThat(bad.sharpeNet()).isEqualTo(bad.sharpeGross());
    }

    /**
     * The long-short Sharpe on three days worked by hand: ten names ranked by a fixed score, so the
     * portfolio is long name 9 and short name 0 every day (one name per side, a tenth of ten). Daily
     * gross returns are 0.02 - (-0.01), 0.01 - 0.01, 0.03 - 0.00; the first day trades two units of
     * weight in from flat and pays 2 x 10 bps, later days trade nothing.
     */
    @Test
    void sharpeMatchesAHandWorkedPortfolio() {
        int symbols = 10;
        double[][] returns = new double[3][symbols];
        returns[0][9] = 0.02;
        returns[0][0] = -0.01;
        returns[1][9] = 0.01;
        returns[1][0] = 0.01;
        returns[2][9] = 0.03;
        returns[2][0] = 0.00;
        // The names in between move, but are never held.
        for (int d = 0; d < 3; d++) {
            for (int s = 1; s < 9; s++) {
                returns[d][s] = 0.05 * (s % 2 == 0 ? 1 : -1);
            }
        }
        long[] ts = new long[3 * symbols];
        int[] sym = new int[ts.length];
        double[] score = new double[ts.length];
        double[] day = new double[ts.length];
        for (int d = 0; d < 3; d++) {
            for (int s = 0; s < symbols; s++) {
                int i = d * symbols + s;
                ts[i] = d * 86_400_000_000L + 14L * 3_600_000_000L + 30L * 60_000_000L;
                sym[i] = s;
                score[i] = s;
                day[i] = returns[d][s];
            }
        }
        Evaluation e = Evaluation.of(ts, sym, score, day, day, false, 10);
        assertThat(e.days()).isEqualTo(3);
        assertThat(e.sharpeGross()).isCloseTo(sharpe(0.03, 0.00, 0.03), within(1e-9));
        assertThat(e.sharpeNet()).isCloseTo(sharpe(0.03 - 0.002, 0.00, 0.03), within(1e-9));
        // Worked out: mean 0.02, sample deviation sqrt(0.0003), so 0.02 / 0.017320508 x sqrt(252).
        assertThat(e.sharpeGross()).isCloseTo(18.3303028, within(1e-6));
    }

    /** Annualised Sharpe of daily returns: mean over sample deviation, times the square root of 252. */
    private static double sharpe(double... daily) {
        double mean = java.util.Arrays.stream(daily).average().orElseThrow();
        double ss = java.util.Arrays.stream(daily).map(r -> (r - mean) * (r - mean)).sum();
        return mean / Math.sqrt(ss / (daily.length - 1)) * Math.sqrt(252);
    }
}
