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
 * t changes when bars after t change; warm-up values are NaN and nothing is ever infinite.
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
    void warmUpIsNaNAndNothingIsInfinite() {
        List<FeatureBatch.SymbolColumns> batch = MARKET.batch(PLAN).runAll(MARKET.equities());
        for (FeatureBatch.SymbolColumns cols : batch) {
            for (int k = 0; k < PLAN.features().size(); k++) {
                Feature f = PLAN.features().get(k);
                double[] x = cols.features()[k];
                for (int i = 0; i < x.length; i++) {
                    assertThat(Double.isInfinite(x[i])).as("%s of %s at %d", f.name(), cols.symbol(), i).isFalse();
                    if (i < f.warmUp() - 1) {
                        assertThat(x[i]).as("%s of %s at %d, warm-up %d", f.name(), cols.symbol(), i, f.warmUp()).isNaN();
                    }
                }
                // After warm-up a feature must be defined somewhere: NaN throughout would be garbage too.
                long valid = java.util.Arrays.stream(x).filter(d -> !Double.isNaN(d)).count();
                assertThat(valid).as("%s of %s defined values", f.name(), cols.symbol()).isPositive();
            }
        }
    }

    @Test
    void degenerateBarsGiveNaNNotInfinity() {
        // A halted-looking stretch: flat prices and zero volume, the classic source of 0/0 and x/0.
        SymbolBars src = MARKET.equities().get(0);
        double[] o = src.open().clone();
        double[] h = src.high().clone();
        double[] l = src.low().clone();
        double[] c = src.close().clone();
        double[] v = src.volume().clone();
        for (int i = 2000; i < 2300; i++) {
            o[i] = h[i] = l[i] = c[i] = 50.0;
            v[i] = 0;
        }
        SymbolBars flat = new SymbolBars(src.symbol(), src.ts(), o, h, l, c, v, src.vwap());
        List<SymbolBars> market = new ArrayList<>(MARKET.equities());
        market.set(0, flat);
        for (FeatureBatch.SymbolColumns cols : MARKET.batch(PLAN).runAll(market)) {
            for (int k = 0; k < PLAN.width(); k++) {
                for (double x : cols.features()[k]) {
                    assertThat(Double.isInfinite(x)).as(PLAN.featureNames().get(k)).isFalse();
                }
            }
        }
    }

    @Property(tries = 12)
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
