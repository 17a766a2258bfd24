package io.foresail.features.label;

import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.features.context.BenchmarkReturns;
import io.foresail.features.spec.LabelSpec;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LabelerTest {
    private static final BarGrid GRID = TradingCalendar.nyse().grid(Timeframe.MIN_15);

    private static int firstBarOf(LocalDate d) {
        return GRID.ceilingIndex(d.atStartOfDay(ZoneId.of("America/New_York")).toEpochSecond());
    }

    @Test
    void forwardReturnsExcessAndDirectionOverTheGrid() {
        int g0 = firstBarOf(LocalDate.of(2024, 3, 4));
        int n = 60;
        int[] g = new int[n];
        double[] close = new double[n];
        long[] benchTs = new long[n];
        double[] benchClose = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = g0 + i;
            close[i] = 100 + (i % 7) - (i % 3);
            benchTs[i] = GRID.startEpochSecond(g0 + i) * 1_000_000L;
            benchClose[i] = 400 + 0.5 * i;
        }
        Labeler labeler = new Labeler(new LabelSpec(java.util.List.of(1, 26), true, true), GRID,
                new BenchmarkReturns(benchTs, benchClose));
        double[][] y = labeler.labels(g, close);
        assertThat(new LabelSpec(java.util.List.of(1, 26), true, true).names())
                .containsExactly("label_fwd_1_raw", "label_fwd_1_excess", "label_dir_1_class",
                        "label_fwd_26_raw", "label_fwd_26_excess", "label_dir_26_class");
        assertThat(y[0][5]).isCloseTo(close[6] / close[5] - 1, within(1e-15));
        assertThat(y[1][5]).isCloseTo(close[6] / close[5] - 1 - (benchClose[6] / benchClose[5] - 1), within(1e-15));
        assertThat(y[2][5]).isEqualTo(close[6] > close[5] ? 1.0 : 0.0);
        // 26 bars ahead of the 10:00 bar is the next session's 10:00 bar: labels span the night.
        assertThat(y[3][2]).isCloseTo(close[28] / close[2] - 1, within(1e-15));
        // The last h bars have no future: NaN, never a shorter horizon.
        assertThat(y[0][n - 1]).isNaN();
        assertThat(y[3][n - 26]).isNaN();
        assertThat(y[5][n - 26]).isNaN();
    }

    @Test
    void labelsNeverSpanAMissingBar() {
        int g0 = firstBarOf(LocalDate.of(2024, 3, 4));
        // Bars at grid offsets 0..9 then 11..20: offset 10 is missing (a halt).
        int[] g = new int[20];
        double[] close = new double[20];
        for (int i = 0; i < 20; i++) {
            g[i] = g0 + (i < 10 ? i : i + 1);
            close[i] = 100 + i;
        }
        double[][] y = new Labeler(new LabelSpec(java.util.List.of(1, 4), false, false), GRID, BenchmarkReturns.none())
                .labels(g, close);
        assertThat(y[0][8]).isCloseTo(close[9] / close[8] - 1, within(1e-15));
        assertThat(y[0][9]).as("1-bar label across the hole").isNaN();
        assertThat(y[1][6]).as("4-bar label across the hole").isNaN();
        assertThat(y[1][5]).isCloseTo(close[9] / close[5] - 1, within(1e-15));
        assertThat(y[1][10]).isCloseTo(close[14] / close[10] - 1, within(1e-15));
    }
}
