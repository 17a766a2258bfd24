package io.foresail.backtest;

import io.foresail.backtest.analytics.Performance;
import io.foresail.backtest.replay.BacktestResult;
import io.foresail.backtest.tape.BarTape;
import io.foresail.backtest.replay.Replay;
import io.foresail.backtest.tape.ScoreTape;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.core.progress.Progress;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.decision.Decision;
import io.foresail.trading.decision.StrategyConfig;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReplayTest {
    private static final int NAMES = 12;

    private static StrategyConfig strategy() {
        return new StrategyConfig("rt", new StrategyConfig.Portfolio("long_short_quantiles", 3), null, null,
                new StrategyConfig.Risk(0.10, 3.0, new StrategyConfig.Covariance(50.0, 0.3, 20), null, null, 0.5, null,
                        null, null, 0.5), null);
    }

    private static Replay.Settings settings(ExecutionConfig execution) {
        return new Replay.Settings(strategy(), execution, true, "");
    }

    /** Scores that peek at the next bar's return: the best a model could do, for sanity checks only. */
    private static ScoreTape peeking(BarTape tape) {
        double[][] s = new double[tape.bars()][NAMES];
        for (int t = 0; t < tape.bars(); t++) {
            for (int i = 0; i < NAMES; i++) {
                s[t][i] = t + 1 < tape.bars() ? tape.close()[i][t + 1] / tape.close()[i][t] - 1 : Double.NaN;
            }
        }
        return new ScoreTape("peeking", s, Double.NaN);
    }

    private static ScoreTape noise(BarTape tape, long seed) {
        Random rnd = new Random(seed);
        double[][] s = new double[tape.bars()][NAMES];
        for (double[] row : s) {
            for (int i = 0; i < NAMES; i++) {
                row[i] = rnd.nextGaussian();
            }
        }
        return new ScoreTape("noise", s, Double.NaN);
    }

    private static BacktestResult run(BarTape tape, ScoreTape scores, ExecutionConfig execution) {
        return Replay.run(tape, scores, TestTapes.sectors(NAMES), TestTapes.NYSE, TestTapes.GRID, settings(execution),
                Progress.NONE);
    }

    @Property(seed = "15", tries = 8)
    void nothingAtOrBeforeABarDependsOnLaterBars(@ForAll @IntRange(min = 30, max = 250) int cut) {
        BarTape tape = TestTapes.randomWalk(NAMES, 260, 7);
        ScoreTape scores = noise(tape, 3);
        BacktestResult a = run(tape, scores, ExecutionConfig.defaults());
        // Rewrite every bar after the cut (prices, volumes) and every score after it.
        BarTape later = perturbAfter(tape, cut);
        double[][] s = Arrays.stream(scores.values()).map(double[]::clone).toArray(double[][]::new);
        for (int t = cut + 1; t < s.length; t++) {
            Arrays.fill(s[t], 0.123);
        }
        BacktestResult b = run(later, new ScoreTape("noise", s, Double.NaN), ExecutionConfig.defaults());
        for (int t = 0; t <= cut; t++) {
            assertThat(b.equity()[t]).as("equity at bar %d", t).isEqualTo(a.equity()[t]);
            assertThat(b.decisions().get(t).intents()).as("intents at bar %d", t).isEqualTo(a.decisions().get(t).intents());
        }
        assertThat(b.equity()[cut + 1]).isNotEqualTo(a.equity()[cut + 1]);
    }

    private static BarTape perturbAfter(BarTape tape, int cut) {
        double[][][] fields = {tape.open(), tape.high(), tape.low(), tape.close(), tape.volume(), tape.vwap()};
        double[][][] copy = new double[6][][];
        for (int f = 0; f < 6; f++) {
            copy[f] = Arrays.stream(fields[f]).map(double[]::clone).toArray(double[][]::new);
            for (double[] series : copy[f]) {
                for (int t = cut + 1; t < series.length; t++) {
                    series[t] *= f == 4 ? 3 : 1.07;
                }
            }
        }
        return new BarTape(tape.symbols(), tape.starts(), copy[0], copy[1], copy[2], copy[3], copy[4], copy[5],
                tape.benchmark(), tape.benchmarkClose());
    }

    @Test
    void ordersDecidedAtABarCloseFillInALaterBar() {
        BarTape tape = TestTapes.randomWalk(NAMES, 200, 11);
        BacktestResult r = run(tape, noise(tape, 5), ExecutionConfig.defaults());
        Map<String, Long> decidedAtEnd = new HashMap<>();
        for (Decision d : r.decisions()) {
            int g = TestTapes.GRID.indexOf(d.barStart());
            d.intents().forEach(in -> decidedAtEnd.put(in.clientOrderId(), TestTapes.GRID.end(g).getEpochSecond()));
        }
        assertThat(r.fills()).isNotEmpty();
        for (Fill f : r.fills()) {
            assertThat(f.at().getEpochSecond()).as(f.clientOrderId()).isGreaterThan(decidedAtEnd.get(f.clientOrderId()));
        }
    }

    @Test
    void equityIsCashPlusPositionsRebuiltFromTheFills() {
        BarTape tape = TestTapes.randomWalk(NAMES, 300, 13);
        BacktestResult r = run(tape, noise(tape, 9), ExecutionConfig.defaults());
        double cash = r.startingCash();
        double[] shares = new double[NAMES];
        for (Fill f : r.fills()) {
            cash -= f.notional() + f.fees();
            shares[tape.symbols().indexOf(f.symbol())] += f.signedQuantity();
        }
        cash -= r.costs().borrow();
        double equity = cash;
        int last = tape.bars() - 1;
        for (int i = 0; i < NAMES; i++) {
            equity += shares[i] * tape.close()[i][last];
        }
        assertThat(r.finalEquity()).isCloseTo(equity, within(1e-6));
    }

    @Test
    void theSameInputsGiveTheSameBacktest() {
        BarTape tape = TestTapes.randomWalk(NAMES, 200, 17);
        BacktestResult a = run(tape, noise(tape, 1), ExecutionConfig.defaults());
        BacktestResult b = run(tape, noise(tape, 1), ExecutionConfig.defaults());
        assertThat(b.equity()).containsExactly(a.equity());
        assertThat(b.fills()).isEqualTo(a.fills());
    }

    @Test
    void foresightMakesMoneyAndNoiseDoesNotBeforeCosts() {
        BarTape tape = TestTapes.randomWalk(NAMES, 26 * 40, 19);
        ExecutionConfig free = ExecutionConfig.defaults().withoutCosts();
        Performance oracle = Performance.of(run(tape, peeking(tape), free), TestTapes.GRID, tape, peeking(tape));
        Performance random = Performance.of(run(tape, noise(tape, 2), free), TestTapes.GRID, tape, noise(tape, 2));
        assertThat(oracle.realisedIc()).isGreaterThan(0.9);
        assertThat(oracle.sharpe()).isGreaterThan(10);
        assertThat(Math.abs(random.realisedIc())).isLessThan(0.02);
        assertThat(random.sharpe()).isLessThan(oracle.sharpe() / 5);
        // Costs are paid: the same foresight with costs ends lower.
        BacktestResult costly = run(tape, peeking(tape), ExecutionConfig.defaults());
        assertThat(costly.finalEquity()).isLessThan(run(tape, peeking(tape), free).finalEquity());
        assertThat(costly.costs().total()).isGreaterThan(0);
    }
}
