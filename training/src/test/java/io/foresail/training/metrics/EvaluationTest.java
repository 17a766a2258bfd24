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
}
