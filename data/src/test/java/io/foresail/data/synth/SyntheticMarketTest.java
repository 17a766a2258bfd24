package io.foresail.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.progress.Progress;
import io.foresail.data.adjust.CorporateActions;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.validate.BarValidator;
import io.foresail.data.validate.QuarantinedRow;
import io.foresail.data.validate.Rule;
import io.foresail.data.validate.ValidationConfig;
import io.foresail.data.validate.ValidationMode;
import io.foresail.data.validate.ValidationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import io.foresail.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class SyntheticMarketTest {
    @TempDir
    Path dir;

    private static SynthConfig small(long seed, double ic) {
        return SynthConfig.builder().symbols(12).start(LocalDate.of(2023, 1, 1)).end(LocalDate.of(2023, 3, 31))
                .seed(seed).alphaIc(ic).splits(2).build();
    }

    /** Writes {@code small(seed, 0.03)} with two fault copies to a directory: a second process for the test below. */
    public static void main(String[] args) {
        // Shift this thread's identity hash sequence, as a process with another history would have it:
        // anything ordered by identity hashes (a HashSet of enums) then comes out in another order.
        for (long i = 0; i < 1 + ProcessHandle.current().pid() % 97; i++) {
            System.identityHashCode(new Object());
        }
        SynthOutput.write(Path.of(args[0]), small(Long.parseLong(args[1]), 0.03), 2, Progress.NONE);
    }

    @Test
    void sameSeedGivesByteIdenticalOutputInAnotherProcessAndAnotherSeedDoesNot() throws Exception {
        SynthOutput.write(dir.resolve("a"), small(7, 0.03), 2, Progress.NONE);
        // The same seed in another JVM: identity hash codes, thread timing and map orders all differ there.
        try (ChildJvm other = ChildJvm.start(SyntheticMarketTest.class, dir.resolve("b.log"), Map.of(),
                dir.resolve("b").toString(), "7")) {
            assertThat(other.await(120, TimeUnit.SECONDS)).as("second process; log:%n%s", other.output()).isZero();
        }
        SynthOutput.Written c = SynthOutput.write(dir.resolve("c"), small(8, 0.03), 0, Progress.NONE);
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir.resolve("a"))) {
            files = s.filter(Files::isRegularFile).map(dir.resolve("a")::relativize).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(30);
        for (Path f : files) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(f))).as(f.toString())
                    .isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(f)));
        }
        assertThat(c.bars().manifest().contentSha256())
                .isNotEqualTo(BarStore.open(dir.resolve("a/bars")).manifest().contentSha256());
    }

    @Test
    void barsLieOnTheGridWithConsistentOhlcAndTheStoresValidate() {
        SynthOutput.Written w = SynthOutput.write(dir.resolve("m"), small(3, 0.03), 0, Progress.NONE);
        CorporateActions actions = CorporateActions.load(dir.resolve("m/corporate_actions.csv"));
        assertThat(actions.all()).hasSize(2);
        BarValidator v = new BarValidator(ValidationConfig.builder().corporateActions(actions).minCoverage(1.0)
                .maxGapBars(0).build());
        ValidationResult raw = v.validate(w.raw(), ValidationMode.STRICT);
        assertThat(raw.report().passed()).as(raw.report().toText()).isTrue();
        assertThat(raw.report().symbols().stream().mapToInt(s -> s.splitsExplained()).sum()).isEqualTo(2);
        assertThat(v.validate(w.bars(), ValidationMode.STRICT).report().passed()).isTrue();
        // Without the actions file the raw splits look like what they are.
        assertThat(new BarValidator(ValidationConfig.builder().build()).validate(w.raw(), ValidationMode.STRICT)
                .report().total(Rule.SUSPECTED_SPLIT)).isEqualTo(2);
        BarGrid grid = TradingCalendar.nyse().grid(Timeframe.MIN_15);
        BarSeries s = w.bars().read("AAPL");
        int expected = TradingCalendar.nyse().sessions(LocalDate.of(2023, 1, 1), LocalDate.of(2023, 3, 31)).size() * 26;
        assertThat(s.size()).isEqualTo(expected);
        for (int i = 0; i < s.size(); i++) {
            assertThat(grid.indexOf(s.tsMicros(i) / 1_000_000)).isNotNegative();
            assertThat(s.vwap(i)).isBetween(s.low(i), s.high(i));
        }
    }

    @Test
    void theFaultyCopyBreaksExactlyThePlantedRules() throws Exception {
        SynthOutput.Written w = SynthOutput.write(dir.resolve("f"), small(5, 0.03), 3, Progress.NONE);
        ValidationResult r = new BarValidator(ValidationConfig.builder().build())
                .validate(w.faulty(), ValidationMode.REPAIR);
        // The ground truth the generator wrote beside the faulty copy.
        List<String> lines = Files.readAllLines(dir.resolve("f/faults.csv"));
        assertThat(lines.get(0)).isEqualTo("symbol,ts,kind,expected_rule,detail");
        assertThat(lines).hasSize(1 + 6 * 3);
        Set<String> expected = lines.stream().skip(1).map(l -> l.split(",")).filter(f -> !f[3].isEmpty())
                .map(f -> f[0] + "@" + f[1] + ":" + Rule.valueOf(f[3].toUpperCase(java.util.Locale.ROOT)))
                .collect(Collectors.toSet());
        assertThat(expected).hasSize(5 * 3);
        Set<String> found = new HashSet<>();
        for (QuarantinedRow q : r.quarantined()) {
            q.rules().forEach(rule -> found.add(q.bar().symbol() + "@" + q.bar().start() + ":" + rule));
        }
        assertThat(found).isEqualTo(expected);
        assertThat(r.report().total(Rule.GAP)).isZero();
        assertThat(r.report().passed()).isTrue();
        assertThat(new BarValidator(ValidationConfig.builder().build()).validate(w.faulty(), ValidationMode.STRICT)
                .report().passed()).isFalse();
    }

    @Test
    void theOracleAlphaIsTheDocumentedFunctionOfPastObservableBarsOnly() {
        // A year: the slow part's EWMA (half-life 130 bars) needs thousands of bars to forget its start.
        SynthOutput.Written w = SynthOutput.write(dir.resolve("o"), SynthConfig.builder().symbols(12)
                .start(LocalDate.of(2023, 1, 1)).end(LocalDate.of(2023, 12, 31)).seed(11).alphaIc(0.05).splits(2).build(),
                0, Progress.NONE);
        Map<String, OracleFile.Series> oracle = OracleFile.read(w.oracle());
        BarSeries spy = w.bars().read("SPY");
        double kappa = w.summary().kappa();
        for (String symbol : List.of("AAPL", "META", "NVDA", "ORCL")) {
            BarSeries s = w.bars().read(symbol);
            double[] alpha = oracle.get(symbol).alpha();
            double[] slowAlpha = oracle.get(symbol).slowAlpha();
            // An independent implementation of docs/synthetic-market.md, "The planted alpha", reading bars <= t.
            double var = -1;
            double level = Double.NaN;
            double decay = Math.pow(0.5, 1 / 130.0);
            double slow = 0;
            for (int t = 0; t < s.size() - 1; t++) {
                double r = t == 0 ? 0 : Math.log(s.close(t) / s.close(t - 1));
                double m = t == 0 ? 0 : Math.log(spy.close(t) / spy.close(t - 1));
                double e = r - m;
                if (var < 0) {
                    // the generator seeds the EWMA with its own value: the warm-up is skipped below
                    var = e * e + 1e-8;
                }
                double z = Math.max(-4, Math.min(4, e / Math.sqrt(var)));
                var = 0.97 * var + 0.03 * e * e;
                BarGrid grid = TradingCalendar.nyse().grid(Timeframe.MIN_15);
                int g = grid.indexOf(s.tsMicros(t) / 1_000_000);
                double x = (grid.slotInSession(g) + 0.5) / grid.barsInSessionOf(g);
                double minutes = (grid.end(g).getEpochSecond() - grid.startEpochSecond(g)) / 60.0;
                double d = Math.log(s.volume(t) / (profile(x) * minutes));
                if (Double.isNaN(level)) {
                    level = d;
                }
                double u = d - level;
                level = 0.95 * level + 0.05 * d;
                double expected = kappa * Math.sqrt(var) * -z * (1 - 0.5 * Math.tanh(u));
                slow = decay * slow + (1 - decay) * z;
                double slowScale = 0.2 * kappa * Math.sqrt(var) * Math.sqrt((1 + decay) / (1 - decay));
                double slowExpected = slowScale * slow;
                if (t > 1000) { // past the EWMA warm-up (0.97^1000 ~ 6e-14) the seed value no longer matters
                    assertThat(alpha[t] - slowAlpha[t]).as("%s bar %d, fast part", symbol, t)
                            .isCloseTo(expected, within(1e-6 * Math.abs(expected) + 1e-12));
                }
                if (t > 5000) {
                    // The slow EWMA forgets the warm-up more slowly: the two may differ by what the
                    // first 600 bars left in it (|z| <= 4 both sides), decayed at its own rate:
                    // under 1e-9 of its scale here.
                    assertThat(slowAlpha[t]).as("%s bar %d, slow part", symbol, t)
                            .isCloseTo(slowExpected, within(slowScale * 8 * Math.pow(decay, t - 600) + 1e-12));
                }
            }
        }
    }

    @Test
    void oracleIcMatchesTheTargetAndVanishesWithoutAlpha() {
        SynthConfig cfg = SynthConfig.builder().symbols(50).start(LocalDate.of(2024, 1, 1))
                .end(LocalDate.of(2024, 12, 31)).seed(1).build();
        OracleSummary s = SyntheticMarket.generate(cfg).summary();
        assertThat(s.bars()).isGreaterThan(6000);
        assertThat(s.rankIcMean()).isCloseTo(0.03, within(0.008));
        OracleSummary none = SyntheticMarket.generate(SynthConfig.builder().symbols(50)
                .start(LocalDate.of(2024, 1, 1)).end(LocalDate.of(2024, 12, 31)).seed(1).alphaIc(0).build()).summary();
        assertThat(none.kappa()).isZero();
        // What is left is beta x drift, a true but tiny expected return.
        assertThat(Math.abs(none.rankIcMean())).isLessThan(0.012);
    }

    /**
     * The intraday volume profile as docs/synthetic-market.md states it: proportional to
     * 0.6 + 1.2y² + 16y⁴ with y = x - 1/2, normalised to mean 1 over the session. The mean of that
     * polynomial for y uniform on (-1/2, 1/2) is 0.6 + 1.2/12 + 16/80 = 0.9.
     */
    private static double profile(double x) {
        double y = x - 0.5;
        return (0.6 + 1.2 * Math.pow(y, 2) + 16 * Math.pow(y, 4)) / (0.6 + 1.2 / 12 + 16.0 / 80);
    }
}
