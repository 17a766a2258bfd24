package io.foresail.trading;

import io.foresail.core.error.InvalidInputException;
import io.foresail.trading.risk.CovarianceEstimate;
import io.foresail.trading.risk.DailyLossLimit;
import io.foresail.trading.risk.DrawdownLadder;
import io.foresail.trading.risk.ExposureLimit;
import io.foresail.trading.risk.KellyCap;
import io.foresail.trading.risk.NameCap;
import io.foresail.trading.risk.RiskEvents;
import io.foresail.trading.risk.RiskRule;
import io.foresail.trading.risk.RiskState;
import io.foresail.trading.risk.SectorCap;
import io.foresail.trading.risk.VolatilityTarget;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RiskRulesTest {
    private static final LocalDate DAY = LocalDate.of(2024, 3, 4);

    /** Four names in two sectors; returns of +-1 % a bar, names 0/1 moving together, 2/3 against. */
    private static RiskState state(int warmup, int bars) {
        CovarianceEstimate c = new CovarianceEstimate(4, 50, 0.0, warmup);
        double[] close = {100, 100, 100, 100};
        c.observe(close);
        for (int b = 0; b < bars; b++) {
            double r = b % 2 == 0 ? 0.01 : -0.01;
            close = new double[] {close[0] * (1 + r), close[1] * (1 + r), close[2] * (1 - r), close[3] * (1 - r)};
            c.observe(close);
        }
        RiskState s = new RiskState(List.of("A", "B", "C", "D"), new int[] {0, 0, 1, 1}, List.of("tech", "energy"), c, 100);
        s.observeEquity(DAY, 100_000);
        return s;
    }

    @Test
    void nameCapClipsEachNameAndSaysWhich() {
        double[] w = {0.5, -0.3, 0.1, 0.0};
        RiskEvents e = new RiskEvents();
        new NameCap(0.2).apply(state(1, 2), w, e);
        assertThat(w).containsExactly(0.2, -0.2, 0.1, 0.0);
        assertThat(e.list()).extracting(ev -> ev.scope()).containsExactly("A", "B");
    }

    @Test
    void sectorCapScalesTheSectorTogether() {
        double[] w = {0.3, 0.3, 0.1, -0.1};
        RiskEvents e = new RiskEvents();
        new SectorCap(0.4).apply(state(1, 2), w, e);
        assertThat(w[0]).isCloseTo(0.2, within(1e-12));
        assertThat(w[1]).isCloseTo(0.2, within(1e-12));
        assertThat(w[2]).isEqualTo(0.1);
        assertThat(e.list()).singleElement().satisfies(ev -> assertThat(ev.scope()).isEqualTo("tech"));
    }

    @Test
    void exposureLimitCutsGrossThenTheHeavySideOfNet() {
        double[] w = {0.6, 0.6, -0.2, 0.0};
        new ExposureLimit(1.0, 0.2).apply(state(1, 2), w, new RiskEvents());
        assertThat(RiskRule.gross(w)).isLessThanOrEqualTo(1.0 + 1e-12);
        assertThat(RiskRule.net(w)).isCloseTo(0.2, within(1e-12));
        assertThat(w[2]).as("the light side keeps its hedge").isCloseTo(-0.2 / 1.4, within(1e-12));
    }

    @Test
    void volatilityTargetHoldsFlatUntilWarmThenMeetsTheTarget() {
        double[] w = {0.25, 0.25, 0.25, 0.25};
        RiskEvents e = new RiskEvents();
        new VolatilityTarget(0.10, 10).apply(state(20, 10), w, e);
        assertThat(RiskRule.gross(w)).isZero();
        assertThat(e.list().get(0).reason()).contains("warming up: 10 of 20");

        // Long A and short C: returns +-2 % a bar together, so 2 % per bar for a gross of 1;
        // at 100 bars a year the book's volatility is 0.02 * sqrt(100) = 20 %: halve it.
        RiskState s = state(20, 400);
        double[] hedged = {0.5, 0, -0.5, 0};
        assertThat(s.annualVolatility(hedged)).isCloseTo(0.10, within(2e-3));
        double[] book = {1, 0, -1, 0};
        new VolatilityTarget(0.10, 10).apply(s, book, new RiskEvents());
        assertThat(s.annualVolatility(book)).isCloseTo(0.10, within(1e-9));
        // Long A and long C cancel each other: nothing to scale against, the cap on leverage holds.
        double[] flat = {0.5, 0, 0.5, 0};
        new VolatilityTarget(0.10, 3).apply(s, flat, new RiskEvents());
        assertThat(RiskRule.gross(flat)).isLessThanOrEqualTo(3.0 + 1e-9);
    }

    @Test
    void kellyCapFollowsTheFundamentalLawAndRefusesANegativeEdge() {
        KellyCap k = new KellyCap(0.5, 10_000);
        assertThat(k.volatilityCap(0.02)).isCloseTo(0.5 * 0.02 * 100, within(1e-12));
        RiskState s = state(20, 400);
        s.modelIc(0.001); // cap 0.5 * 0.001 * 100 = 5 %
        double[] book = {1, 0, -1, 0}; // 40 % predicted
        k.apply(s, book, new RiskEvents());
        assertThat(s.annualVolatility(book)).isCloseTo(0.05, within(1e-9));
        s.modelIc(-0.01);
        RiskEvents e = new RiskEvents();
        k.apply(s, book, e);
        assertThat(RiskRule.gross(book)).isZero();
        assertThat(e.list().get(0).reason()).contains("not positive");
    }

    @Test
    void drawdownLadderHalvesThenHaltsUntilAnOperatorResumes() {
        RiskState s = state(1, 2);
        DrawdownLadder ladder = DrawdownLadder.defaults();
        double[] w = {0.5, 0.5, 0, 0};
        s.observeEquity(DAY, 96_000);
        ladder.apply(s, w, new RiskEvents());
        assertThat(w).containsExactly(0.5, 0.5, 0, 0);
        s.observeEquity(DAY, 94_000);
        ladder.apply(s, w, new RiskEvents());
        assertThat(w).containsExactly(0.25, 0.25, 0, 0);
        s.observeEquity(DAY, 89_900);
        ladder.apply(s, w, new RiskEvents());
        assertThat(RiskRule.gross(w)).isZero();
        assertThat(ladder.halted()).isTrue();
        s.observeEquity(DAY.plusDays(1), 99_000);
        double[] again = {0.5, 0.5, 0, 0};
        RiskEvents e = new RiskEvents();
        ladder.apply(s, again, e);
        assertThat(RiskRule.gross(again)).as("halted even after the recovery").isZero();
        assertThat(e.list().get(0).reason()).contains("halted until resumed");
        ladder.resume();
        double[] resumed = {0.5, 0.5, 0, 0};
        ladder.apply(s, resumed, new RiskEvents());
        assertThat(resumed).containsExactly(0.5, 0.5, 0, 0);
    }

    @Test
    void dailyLossLimitFlattensForTheRestOfTheSessionOnly() {
        RiskState s = state(1, 2);
        DailyLossLimit limit = new DailyLossLimit(0.02);
        double[] w = {0.5, 0.5, 0, 0};
        s.observeEquity(DAY, 97_900);
        limit.apply(s, w, new RiskEvents());
        assertThat(RiskRule.gross(w)).isZero();
        s.observeEquity(DAY, 100_500);
        double[] later = {0.5, 0.5, 0, 0};
        limit.apply(s, later, new RiskEvents());
        assertThat(RiskRule.gross(later)).as("still the same session").isZero();
        s.observeEquity(DAY.plusDays(1), 100_500);
        double[] next = {0.5, 0.5, 0, 0};
        limit.apply(s, next, new RiskEvents());
        assertThat(next).containsExactly(0.5, 0.5, 0, 0);
    }

    @Test
    void limitsOutsideTheirRangeAreRefusedByName() {
        assertThatThrownBy(() -> new NameCap(1.2)).hasMessageContaining("risk.max_name").hasMessageContaining("1.2");
        assertThatThrownBy(() -> new SectorCap(0)).hasMessageContaining("risk.max_sector");
        assertThatThrownBy(() -> new ExposureLimit(1, 2)).hasMessageContaining("risk.max_net");
        assertThatThrownBy(() -> new DrawdownLadder(List.of(new DrawdownLadder.Step(0.05, 0.2),
                new DrawdownLadder.Step(0.10, 0.5)))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("deeper drawdown");
        assertThatThrownBy(() -> new VolatilityTarget(-0.1, 1)).hasMessageContaining("risk.target_volatility");
    }
}
