package io.foresail.features.context;

import io.foresail.core.universe.Equity;
import io.foresail.core.universe.Sector;
import io.foresail.core.universe.Universe;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The cross-sectional transforms and the sector index, on cross-sections worked by hand. */
class CrossSectionTest {

    @Test
    void rankAveragesTiesAndLeavesMissingValuesOut() {
        // Valid values 3, 1, 3, 2 (NaN aside): ranks 3.5, 1, 3.5, 2 of 4.
        double[] v = {3, Double.NaN, 1, 3, 2};
        double[] out = new double[5];
        CrossSection.transform("rank", v, 5, out);
        assertThat(out).containsExactly(3.5 / 4, Double.NaN, 1.0 / 4, 3.5 / 4, 2.0 / 4);
        // -0.0 and 0.0 are one value, not two.
        double[] zeros = {0.0, -0.0, 1};
        CrossSection.rank(zeros, 3, out);
        assertThat(out[0]).isEqualTo(out[1]).isEqualTo(1.5 / 3);
    }

    @Test
    void zscoreIsThePopulationScoreAndUndefinedWithoutDispersionOrCount() {
        // Mean 2, population deviation sqrt(((1)^2 + 0 + 1^2) / 3) = sqrt(2/3).
        double[] v = {1, 2, 3, Double.NaN};
        double[] out = new double[4];
        CrossSection.transform("zscore", v, 4, out);
        double sd = Math.sqrt(2.0 / 3);
        assertThat(out[0]).isCloseTo(-1 / sd, within(1e-12));
        assertThat(out[1]).isCloseTo(0, within(1e-12));
        assertThat(out[2]).isCloseTo(1 / sd, within(1e-12));
        assertThat(out[3]).isNaN();
        CrossSection.zscore(new double[] {5, 5, 5, 5}, 4, out);
        assertThat(out).containsOnly(Double.NaN);
        CrossSection.zscore(new double[] {1, 2, Double.NaN, Double.NaN}, 4, out);
        assertThat(out).as("fewer than %d valid values", CrossSection.MIN_ZSCORE_COUNT).containsOnly(Double.NaN);
        assertThatThrownBy(() -> CrossSection.transform("demean", v, 4, out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("demean");
    }

    @Test
    void sectorIndexIsDenseInSectorOrderOverTheSectorsPresent() {
        Universe u = new Universe(new Equity("SPY", "S&P 500", Sector.BENCHMARK), List.of(
                new Equity("XOM", "Exxon", Sector.ENERGY), new Equity("JPM", "JPMorgan", Sector.FINANCIALS),
                new Equity("AAPL", "Apple", Sector.INFORMATION_TECHNOLOGY), new Equity("CVX", "Chevron", Sector.ENERGY)));
        SectorIndex s = SectorIndex.of(u);
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.bySymbol()).containsExactly(java.util.Map.entry("AAPL", 2), java.util.Map.entry("CVX", 0),
                java.util.Map.entry("JPM", 1), java.util.Map.entry("XOM", 0));
    }
}
