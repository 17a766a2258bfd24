package io.foresail.data.adjust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.TradingCalendar;
import io.foresail.data.TestBars;
import io.foresail.data.store.BarSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitAdjusterTest {
    private final SplitAdjuster adjuster = new SplitAdjuster(TradingCalendar.nyse().zone());

    /** Prices as traded: before the ex-date they are {@code ratio} times the economic price. */
    private static BarSeries unadjust(BarSeries truth, LocalDate exDate, double ratio) {
        BarSeries.Builder b = BarSeries.builder(truth.symbol());
        for (int i = 0; i < truth.size(); i++) {
            boolean before = TradingCalendar.nyse().localDate(truth.start(i)).isBefore(exDate);
            double f = before ? ratio : 1;
            b.add(truth.tsMicros(i), truth.open(i) * f, truth.high(i) * f, truth.low(i) * f, truth.close(i) * f,
                    truth.volume(i) / f, truth.vwap(i) * f, truth.tradeCount(i));
        }
        return b.build();
    }

    /** Weeks that hold a DST change or an early close, and a plain mid-month start. */
    @Provide
    Arbitrary<LocalDate> awkwardWeeks() {
        return Arbitraries.of(LocalDate.of(2024, 3, 6), LocalDate.of(2024, 10, 30), LocalDate.of(2024, 11, 25),
                LocalDate.of(2024, 7, 1), LocalDate.of(2024, 12, 20), LocalDate.of(2024, 6, 12));
    }

    @Property(tries = 60, seed = "42")
    void adjustingRawBarsRecoversTheContinuousSeries(@ForAll @IntRange(min = 1, max = 9) int exDay,
                                                      @ForAll @DoubleRange(min = 0.05, max = 20) double ratio,
                                                      @ForAll("awkwardWeeks") LocalDate from,
                                                      @ForAll boolean degenerate) {
        BarSeries clean = TestBars.clean("NVDA", from, 10, exDay);
        // Halted stretches: flat bars with no volume and no trades, the values the adjuster must keep exact.
        BarSeries truth = degenerate ? flatten(clean, exDay) : clean;
        LocalDate exDate = TradingCalendar.nyse().localDate(truth.start(exDay * truth.size() / 10));
        BarSeries raw = unadjust(truth, exDate, ratio == 1 ? 2 : ratio);
        BarSeries adjusted = adjuster.adjust(raw, List.of(new CorporateAction("NVDA", exDate, ratio == 1 ? 2 : ratio)));
        for (int i = 0; i < truth.size(); i++) {
            assertThat(adjusted.close(i)).isCloseTo(truth.close(i), within(1e-9 * truth.close(i)));
            assertThat(adjusted.high(i) >= adjusted.low(i)).as("bar %d high >= low", i).isTrue();
            assertThat(adjusted.volume(i)).isCloseTo(truth.volume(i), within(1e-9 * truth.volume(i)));
            assertThat(adjusted.tradeCount(i)).isEqualTo(truth.tradeCount(i));
        }
        // Bars on and after the ex-date are untouched, bit for bit.
        assertThat(adjusted.close(truth.size() - 1)).isEqualTo(raw.close(truth.size() - 1));
    }

    /** Every third bar from a seeded start made flat (open = high = low = close), with zero volume and trades. */
    private static BarSeries flatten(BarSeries s, long seed) {
        BarSeries.Builder b = BarSeries.builder(s.symbol());
        for (int i = 0; i < s.size(); i++) {
            if ((i + seed) % 3 == 0) {
                b.add(s.tsMicros(i), s.close(i), s.close(i), s.close(i), s.close(i), 0, s.close(i), 0);
            } else {
                b.add(s.tsMicros(i), s.open(i), s.high(i), s.low(i), s.close(i), s.volume(i), s.vwap(i), s.tradeCount(i));
            }
        }
        return b.build();
    }

    @Test
    void splitsCompoundAndOtherSymbolsAreLeftAlone() {
        BarSeries s = TestBars.clean("AAPL", LocalDate.of(2024, 6, 3), 3, 1);
        LocalDate d2 = LocalDate.of(2024, 6, 4);
        LocalDate d3 = LocalDate.of(2024, 6, 5);
        BarSeries a = adjuster.adjust(s, List.of(new CorporateAction("AAPL", d2, 2), new CorporateAction("AAPL", d3, 3),
                new CorporateAction("MSFT", d2, 10)));
        assertThat(a.close(0)).isCloseTo(s.close(0) / 6, within(1e-12));
        assertThat(a.close(26)).isCloseTo(s.close(26) / 3, within(1e-12));
        assertThat(a.close(52)).isEqualTo(s.close(52));
        assertThat(adjuster.adjust(s, List.of(new CorporateAction("MSFT", d2, 10)))).isSameAs(s);
    }

    @Test
    void actionsFileErrorsNameTheLineAndField(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ca.csv");
        Files.writeString(f, "symbol,date,ratio\nAAPL,2020-08-31,4:1\nTSLA,2022-08-25,3\nXYZ,2023-01-05,1:10\n");
        CorporateActions ca = CorporateActions.load(f);
        assertThat(ca.of("AAPL")).singleElement().extracting(CorporateAction::ratio).isEqualTo(4.0);
        assertThat(ca.of("XYZ").get(0).ratio()).isCloseTo(0.1, within(1e-15));
        Files.writeString(f, "symbol,date,ratio\nAAPL,2020-08-31,4\nTSLA,08/25/2022,3\n");
        assertThatThrownBy(() -> CorporateActions.load(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(f + ":3").hasMessageContaining("field 'date'");
        Files.writeString(f, "symbol,date,ratio\nAAPL,2020-08-31,-4\n");
        assertThatThrownBy(() -> CorporateActions.load(f)).hasMessageContaining("field 'ratio'");
    }
}
