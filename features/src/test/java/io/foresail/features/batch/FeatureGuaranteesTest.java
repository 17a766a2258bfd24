package io.foresail.features.batch;

import io.foresail.core.market.Bar;
import io.foresail.features.TestMarket;
import io.foresail.features.engine.FeatureFrame;
import io.foresail.features.engine.OnlineFeatureEngine;
import io.foresail.features.kernel.Feature;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.features.spec.FeatureSetSpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feature set's guarantees over the whole default plan (every kernel, the context and the
 * cross-sections): the online engine equals the batch passes bit for bit; no value at or before
 * t changes when bars after t change; warm-up values are NaN and nothing is ever infinite; degenerate
 * markets (frozen stretches, zero volume, zero range, cent-grid ties) stay within each feature's
 * documented range.
 */
class FeatureGuaranteesTest {
    /** Long enough (about 100 sessions) that even the 200-bar EMA has warmed up for weeks. */
    private static final TestMarket MARKET = TestMarket.generate(5, LocalDate.of(2023, 1, 3), LocalDate.of(2023, 5, 31), 21);
    private static final FeaturePlan PLAN = FeaturePlan.resolve(FeatureSetSpec.defaultSpec(), FeatureLibrary.standard());

    @Test
    void onlineEngineEqualsBatchBitForBit() {
        List<FeatureBatch.SymbolColumns> batch = MARKET.batch(PLAN).runAll(MARKET.equities());
        // Three chunks of symbols updated in parallel: the split must not change a bit.
        OnlineFeatureEngine engine = OnlineFeatureEngine.builder(PLAN).universe(MARKET.universe()).parallelism(3).build();
        Map<String, Integer> row = new java.util.HashMap<>();
        long compared = 0;
        long defined = 0;
        for (Map.Entry<Long, List<Bar>> e : MARKET.barsByTime().entrySet()) {
            FeatureFrame frame = engine.onBars(Instant.EPOCH.plusNanos(e.getKey() * 1000), e.getValue());
            for (int s = 0; s < frame.symbols().size(); s++) {
                String symbol = frame.symbols().get(s);
                FeatureBatch.SymbolColumns cols = batch.stream().filter(c -> c.symbol().equals(symbol)).findFirst().orElseThrow();
                int i = row.merge(symbol, 1, Integer::sum) - 1;
                assertThat(cols.ts()[i]).isEqualTo(e.getKey());
                for (int k = 0; k < PLAN.width(); k++) {
                    double online = frame.values()[s][k];
                    double offline = cols.features()[k][i];
                    if (Double.doubleToRawLongBits(online) != Double.doubleToRawLongBits(offline)) {
                        throw new AssertionError(PLAN.featureNames().get(k) + " of " + symbol + " at row " + i
                                + ": online " + online + ", batch " + offline);
                    }
                    compared++;
                    if (!Double.isNaN(online)) {
                        defined++;
                    }
                }
            }
        }
        assertThat(compared).isEqualTo((long) PLAN.width() * MARKET.equities().stream().mapToInt(SymbolBars::size).sum());
        assertThat((double) defined / compared).as("share of defined values").isGreaterThan(0.6);
    }

    @Test
    void warmUpIsNaNThenValuesAreDefinedAndWithinTheirRanges() {
        List<FeatureBatch.SymbolColumns> batch = MARKET.batch(PLAN).runAll(MARKET.equities());
        for (FeatureBatch.SymbolColumns cols : batch) {
            for (int k = 0; k < PLAN.features().size(); k++) {
                Feature f = PLAN.features().get(k);
                double[] x = cols.features()[k];
                long definedAfterWarmUp = 0;
                for (int i = 0; i < x.length; i++) {
                    assertThat(Double.isInfinite(x[i])).as("%s of %s at %d", f.name(), cols.symbol(), i).isFalse();
                    if (i < f.warmUp() - 1) {
                        assertThat(x[i]).as("%s of %s at %d, warm-up %d", f.name(), cols.symbol(), i, f.warmUp()).isNaN();
                    } else if (!Double.isNaN(x[i])) {
                        definedAfterWarmUp++;
                        assertThat(f.range().admits(x[i], 1e-9)).as("%s of %s at %d is %s, outside its documented range %s",
                                f.name(), cols.symbol(), i, x[i], f.range()).isTrue();
                    }
                }
                // On an ordinary market a feature is defined on nearly every bar after its warm-up; a
                // kernel that quietly returned NaN on a tenth of them would be as wrong as one that
                // returned garbage.
                long afterWarmUp = Math.max(1, x.length - Math.max(0, f.warmUp() - 1));
                assertThat((double) definedAfterWarmUp / afterWarmUp).as("%s of %s: share defined after warm-up",
                        f.name(), cols.symbol()).isGreaterThan(0.9);
            }
        }
    }

    /**
     * Markets as halted symbols, illiquid minutes and stale feeds make them, all of which pass
     * validation: long frozen stretches (flat prices, zero volume), isolated zero-volume and
     * zero-range bars, prices on a cent grid (many exact ties). Every value must be finite and within
     * its feature's documented range, and the online engine must still equal the batch passes.
     */
    @Property(tries = 6, seed = "20261202")
    void degenerateMarketsStayWithinEveryDocumentedRange(@ForAll @IntRange(min = 300, max = 2000) int frozenAt,
                                                         @ForAll @IntRange(min = 40, max = 400) int frozenBars,
                                                         @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<SymbolBars> market = new ArrayList<>();
        for (int s = 0; s < MARKET.equities().size(); s++) {
            SymbolBars b = MARKET.equities().get(s);
            market.add(s < 2 ? degenerate(b, frozenAt + 200 * s, frozenBars, r) : onCentGrid(b));
        }
        TestMarket degenerate = new TestMarket(MARKET.universe(), MARKET.timeframe(), market, MARKET.benchmark());
        List<FeatureBatch.SymbolColumns> batch = degenerate.batch(PLAN).runAll(market);
        for (FeatureBatch.SymbolColumns cols : batch) {
            for (int k = 0; k < PLAN.features().size(); k++) {
                Feature f = PLAN.features().get(k);
                for (int i = 0; i < cols.rows(); i++) {
                    double x = cols.features()[k][i];
                    if (Double.isInfinite(x) || !f.range().admits(x, 1e-9)) {
                        throw new AssertionError(f.name() + " of " + cols.symbol() + " at row " + i + " is " + x
                                + ", outside its documented range " + f.range());
                    }
                }
            }
        }
        // The frozen stretch itself: constant windows are exact, not rounding residuals.
        FeatureBatch.SymbolColumns frozen = batch.get(0);
        int inside = frozenAt + Math.min(frozenBars, 200) - 1;
        if (frozenBars > 61) {
            assertThat(column(frozen, "alpha158_vsump_30_raw")[inside]).as("VSUMP of a zero-volume stretch").isZero();
            assertThat(column(frozen, "alpha158_vma_30_raw")[inside]).as("VMA of a zero-volume stretch").isZero();
            assertThat(column(frozen, "alpha158_std_30_raw")[inside]).as("STD of a frozen close").isZero();
            assertThat(column(frozen, "alpha158_rsqr_30_raw")[inside]).as("R² of a constant window").isNaN();
            assertThat(column(frozen, "tech_cmo_14_raw")[inside]).as("CMO with every change zero").isNaN();
        }
        assertOnlineEqualsBatch(degenerate, batch);
    }

    private static double[] column(FeatureBatch.SymbolColumns cols, String name) {
        return cols.features()[PLAN.featureNames().indexOf(name)];
    }

    private static void assertOnlineEqualsBatch(TestMarket market, List<FeatureBatch.SymbolColumns> batch) {
        OnlineFeatureEngine engine = OnlineFeatureEngine.builder(PLAN).universe(market.universe()).build();
        Map<String, Integer> row = new java.util.HashMap<>();
        for (Map.Entry<Long, List<Bar>> e : market.barsByTime().entrySet()) {
            FeatureFrame frame = engine.onBars(Instant.EPOCH.plusNanos(e.getKey() * 1000), e.getValue());
            for (int s = 0; s < frame.symbols().size(); s++) {
                String symbol = frame.symbols().get(s);
                FeatureBatch.SymbolColumns cols = batch.stream().filter(c -> c.symbol().equals(symbol)).findFirst().orElseThrow();
                int i = row.merge(symbol, 1, Integer::sum) - 1;
                for (int k = 0; k < PLAN.width(); k++) {
                    if (Double.doubleToRawLongBits(frame.values()[s][k]) != Double.doubleToRawLongBits(cols.features()[k][i])) {
                        throw new AssertionError(PLAN.featureNames().get(k) + " of " + symbol + " at row " + i
                                + ": online " + frame.values()[s][k] + ", batch " + cols.features()[k][i]);
                    }
                }
            }
        }
    }

    /** A frozen stretch (last close repeated, zero volume), then 5 % zero-volume and 5 % zero-range bars, on a cent grid. */
    private static SymbolBars degenerate(SymbolBars src, int from, int bars, SplittableRandom r) {
        SymbolBars b = onCentGrid(src);
        double[] o = b.open().clone();
        double[] h = b.high().clone();
        double[] l = b.low().clone();
        double[] c = b.close().clone();
        double[] v = b.volume().clone();
        double[] vwap = b.vwap().clone();
        double frozen = c[from - 1];
        for (int i = from; i < Math.min(b.size(), from + bars); i++) {
            o[i] = h[i] = l[i] = c[i] = vwap[i] = frozen;
            v[i] = 0;
        }
        for (int i = from + bars; i < b.size(); i++) {
            int roll = r.nextInt(20);
            if (roll == 0) {
                v[i] = 0;
            } else if (roll == 1) {
                o[i] = h[i] = l[i] = c[i];
            }
        }
        return new SymbolBars(b.symbol(), b.ts(), o, h, l, c, v, vwap);
    }

    /** Prices rounded to whole cents (high up, low down, so every bar stays valid): typical prices tie often. */
    private static SymbolBars onCentGrid(SymbolBars b) {
        double[] o = new double[b.size()];
        double[] h = new double[b.size()];
        double[] l = new double[b.size()];
        double[] c = new double[b.size()];
        for (int i = 0; i < b.size(); i++) {
            o[i] = Math.round(b.open()[i] * 100) / 100.0;
            c[i] = Math.round(b.close()[i] * 100) / 100.0;
            h[i] = Math.max(Math.ceil(b.high()[i] * 100) / 100.0, Math.max(o[i], c[i]));
            l[i] = Math.min(Math.floor(b.low()[i] * 100) / 100.0, Math.min(o[i], c[i]));
        }
        return new SymbolBars(b.symbol(), b.ts(), o, h, l, c, b.volume().clone(), b.vwap().clone());
    }

    @Property(tries = 12, seed = "42")
    void noValueAtOrBeforeTDependsOnBarsAfterT(@ForAll @IntRange(min = 0, max = 2500) int cut,
                                                @ForAll @DoubleRange(min = 0.5, max = 2.0) double scale,
                                                @ForAll long seed) {
        SymbolBars first = MARKET.equities().get(0);
        long t = first.ts()[Math.min(cut, first.size() - 1)];
        SplittableRandom r = new SplittableRandom(seed);
        List<SymbolBars> perturbed = new ArrayList<>();
        for (SymbolBars b : MARKET.equities()) {
            perturbed.add(r.nextBoolean() ? perturbAfter(b, t, scale, r) : b);
        }
        // Perturb at least one symbol after t, and the benchmark too (it feeds betas and labels).
        perturbed.set(0, perturbAfter(MARKET.equities().get(0), t, scale, r));
        TestMarket changed = new TestMarket(MARKET.universe(), MARKET.timeframe(), perturbed,
                perturbAfter(MARKET.benchmark(), t, scale, r));
        List<FeatureBatch.SymbolColumns> before = MARKET.batch(PLAN).runAll(MARKET.equities());
        List<FeatureBatch.SymbolColumns> after = changed.batch(PLAN).runAll(perturbed);
        boolean laterChanged = false;
        for (int s = 0; s < before.size(); s++) {
            FeatureBatch.SymbolColumns a = before.get(s);
            FeatureBatch.SymbolColumns b = after.get(s);
            for (int k = 0; k < PLAN.width(); k++) {
                for (int i = 0; i < a.rows(); i++) {
                    boolean same = Double.doubleToRawLongBits(a.features()[k][i]) == Double.doubleToRawLongBits(b.features()[k][i]);
                    if (a.ts()[i] <= t && !same) {
                        throw new AssertionError(PLAN.featureNames().get(k) + " of " + a.symbol() + " at row " + i
                                + " changed when bars after it changed: " + a.features()[k][i] + " -> " + b.features()[k][i]);
                    }
                    laterChanged |= a.ts()[i] > t && !same;
                }
            }
        }
        assertThat(laterChanged).as("the perturbation must be visible after t").isTrue();
    }

    private static SymbolBars perturbAfter(SymbolBars b, long t, double scale, SplittableRandom r) {
        double[] o = b.open().clone();
        double[] h = b.high().clone();
        double[] l = b.low().clone();
        double[] c = b.close().clone();
        double[] v = b.volume().clone();
        for (int i = 0; i < b.size(); i++) {
            if (b.ts()[i] > t) {
                double f = scale * (0.9 + 0.2 * r.nextDouble());
                o[i] *= f;
                h[i] *= f * 1.01;
                l[i] *= f * 0.99;
                c[i] *= f;
                v[i] = v[i] * (0.5 + r.nextDouble());
            }
        }
        return new SymbolBars(b.symbol(), b.ts(), o, h, l, c, v, b.vwap());
    }
}
