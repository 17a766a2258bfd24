package io.foresail.data.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresail.core.market.Timeframe;
import io.foresail.data.TestBars;
import io.foresail.data.adjust.CorporateAction;
import io.foresail.data.adjust.CorporateActions;
import io.foresail.data.store.Adjustment;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.store.BarStoreWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarValidatorTest {
    private static final LocalDate MONDAY = LocalDate.of(2024, 6, 3);
    @TempDir
    Path dir;

    private BarStore store(String name, Adjustment adjustment, BarSeries... series) {
        BarStoreWriter w = BarStoreWriter.create(dir.resolve(name), "NYSE", Timeframe.MIN_15, adjustment, Map.of());
        for (BarSeries s : series) {
            w.put(s);
        }
        return w.commit();
    }

    private static BarSeries edit(BarSeries s, int row, double open, double high, double low, double close, double volume) {
        BarSeries.Builder b = BarSeries.builder(s.symbol());
        for (int i = 0; i < s.size(); i++) {
            if (i == row) {
                b.add(s.tsMicros(i), open, high, low, close, volume, Double.NaN, s.tradeCount(i));
            } else {
                b.add(s, i);
            }
        }
        return b.build();
    }

    @Test
    void cleanBarsPass() {
        ValidationResult r = new BarValidator(ValidationConfig.builder().build())
                .validate(store("s", Adjustment.RAW, TestBars.clean("AAPL", MONDAY, 5, 1)), ValidationMode.STRICT);
        assertThat(r.report().passed()).isTrue();
        assertThat(r.report().symbols().get(0).coverage()).isEqualTo(1.0);
        assertThat(r.quarantined()).isEmpty();
    }

    @Test
    void eachRowRuleIsCountedAndQuarantinedWithItsReason() {
        BarSeries s = TestBars.clean("AAPL", MONDAY, 5, 1);
        s = edit(s, 10, s.open(10), s.low(10) * 0.99, s.low(10), s.close(10), 100);      // OHLC
        s = edit(s, 20, s.open(20), s.high(20), s.low(20), Double.NaN, 100);              // PRICE
        s = edit(s, 30, s.open(30), s.high(30), s.low(30), s.close(30), -1);              // VOLUME
        BarSeries.Builder b = BarSeries.builder("AAPL");
        for (int i = 0; i < s.size(); i++) {
            if (i == 40) {
                b.add(s, 41).add(s, 40);            // out of order
                i++;
                continue;
            }
            b.add(s, i);
            if (i == 50) {
                b.add(s, 50);                       // duplicate
            }
            if (i == 60) {
                b.add(s.tsMicros(60) + 60_000_000L, 100, 101, 99, 100, 1, Double.NaN, 1); // off grid (one minute later)
            }
        }
        ValidationResult r = new BarValidator(ValidationConfig.builder().build())
                .validate(store("s", Adjustment.RAW, b.build()), ValidationMode.REPAIR);
        SymbolReport rep = r.report().symbols().get(0);
        assertThat(rep.count(Rule.OHLC)).isEqualTo(1);
        assertThat(rep.count(Rule.PRICE)).isEqualTo(1);
        assertThat(rep.count(Rule.VOLUME)).isEqualTo(1);
        assertThat(rep.count(Rule.OUT_OF_ORDER)).isEqualTo(1);
        assertThat(rep.count(Rule.DUPLICATE)).isEqualTo(1);
        assertThat(rep.count(Rule.OFF_GRID)).isEqualTo(1);
        assertThat(r.quarantined()).hasSize(6);
        assertThat(r.quarantined()).anySatisfy(q -> assertThat(q.reason()).contains("close is NaN"));
        assertThat(r.report().passed()).as("repair mode passes: only row rules broke").isTrue();
        assertThat(rep.accepted() + rep.quarantined()).isEqualTo(rep.rows());
        // 4 dropped rows leave 4 one-bar gaps, all within tolerance
        assertThat(rep.gaps()).isEqualTo(4);
        assertThat(new BarValidator(ValidationConfig.builder().build())
                .validate(BarStore.open(dir.resolve("s")), ValidationMode.STRICT).report().passed()).isFalse();
    }

    @Test
    void longGapsLowCoverageAndUnexplainedSplitsFailEvenInRepairMode() {
        BarSeries s = TestBars.clean("AAPL", MONDAY, 5, 1);
        BarSeries.Builder b = BarSeries.builder("AAPL");
        for (int i = 0; i < s.size(); i++) {
            if (i >= 5 && i < 12) {
                continue; // a 7-bar gap
            }
            double f = i >= 52 ? 0.25 : 1; // a 4-for-1 split at the third day's open, unadjusted
            b.add(s.tsMicros(i), s.open(i) * f, s.high(i) * f, s.low(i) * f, s.close(i) * f, s.volume(i), Double.NaN, 1);
        }
        BarStore st = store("s", Adjustment.RAW, b.build());
        ValidationConfig strictCoverage = ValidationConfig.builder().minCoverage(0.99).build();
        ValidationResult r = new BarValidator(strictCoverage).validate(st, ValidationMode.REPAIR);
        SymbolReport rep = r.report().symbols().get(0);
        assertThat(rep.count(Rule.GAP)).isEqualTo(1);
        assertThat(rep.longestGap()).isEqualTo(7);
        assertThat(rep.count(Rule.COVERAGE)).isEqualTo(1);
        assertThat(rep.count(Rule.SUSPECTED_SPLIT)).isEqualTo(1);
        assertThat(rep.issues()).anySatisfy(i -> assertThat(i).contains("4-for-1"));
        assertThat(r.report().passed()).isFalse();

        LocalDate exDate = MONDAY.plusDays(2);
        ValidationConfig explained = ValidationConfig.builder().maxGapBars(10)
                .corporateActions(new CorporateActions(List.of(new CorporateAction("AAPL", exDate, 4)))).build();
        SymbolReport ok = new BarValidator(explained).validate(st, ValidationMode.STRICT).report().symbols().get(0);
        assertThat(ok.count(Rule.SUSPECTED_SPLIT)).isZero();
        assertThat(ok.splitsExplained()).isEqualTo(1);
    }

    /** Two-session stretches over a DST change, an early close, a holiday, and an ordinary Monday. */
    @Provide
    Arbitrary<LocalDate> awkwardStarts() {
        return Arbitraries.of(LocalDate.of(2024, 3, 8), LocalDate.of(2024, 11, 1), LocalDate.of(2024, 11, 28),
                LocalDate.of(2024, 7, 3), LocalDate.of(2024, 12, 24), MONDAY);
    }

    @Property(tries = 25, seed = "42")
    void noRowIsEverLost(@ForAll @IntRange(min = 0, max = 10_000) int seed, @ForAll("awkwardStarts") LocalDate start)
            throws Exception {
        BarSeries s = TestBars.clean("AAPL", start, 2, seed);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        BarSeries.Builder b = BarSeries.builder("AAPL");
        for (int k = 0; k < 80; k++) {
            int i = r.nextInt(s.size());
            if (r.nextInt(4) == 0) {
                // A flat bar of a halted minute: valid, and must be kept.
                b.add(s.tsMicros(i), s.close(i), s.close(i), s.close(i), s.close(i), 0, s.close(i), 0);
            } else {
                b.add(s.tsMicros(i), s.open(i), r.nextBoolean() ? s.high(i) : s.low(i) * 0.5, s.low(i), s.close(i),
                        r.nextInt(3) - 1, Double.NaN, 1);
            }
        }
        Path root = Files.createTempDirectory("foresail-prop").resolve("s");
        BarStoreWriter w = BarStoreWriter.create(root, "NYSE", Timeframe.MIN_15, Adjustment.RAW, Map.of());
        BarSeries messy = b.build();
        w.put(messy);
        ValidationResult res = new BarValidator(ValidationConfig.builder().minCoverage(0).maxGapBars(100).build())
                .validate(w.commit(), ValidationMode.REPAIR);
        assertThat(res.accepted().get(0).size() + res.quarantined().size()).isEqualTo(messy.size());
        for (int i = 1; i < res.accepted().get(0).size(); i++) {
            assertThat(res.accepted().get(0).tsMicros(i)).isGreaterThan(res.accepted().get(0).tsMicros(i - 1));
        }
    }

    @Test
    void reportAndQuarantineAreWritten() throws Exception {
        BarSeries s = TestBars.clean("AAPL", MONDAY, 2, 1);
        s = edit(s, 3, s.open(3), s.high(3), s.low(3), Double.NaN, 1);
        ValidationResult r = new BarValidator(ValidationConfig.builder().build())
                .validate(store("s", Adjustment.RAW, s), ValidationMode.REPAIR);
        BarValidator.writeReport(r.report(), dir.resolve("report.json"));
        BarValidator.writeQuarantine(r.quarantined(), dir.resolve("q.csv"));
        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"price\" : 1").contains("\"passed\" : true");
        assertThat(Files.readAllLines(dir.resolve("q.csv"))).hasSize(2).last().asString()
                .startsWith("AAPL,2024-06-03T14:15:00Z").contains("price");
    }
}
