package io.foresail.features.engine;

import io.foresail.core.market.BarGrid;
import io.foresail.features.TestMarket;
import io.foresail.features.batch.SymbolBars;
import io.foresail.features.expr.ExprGraph;
import io.foresail.features.expr.ExprKernel;
import io.foresail.features.kernel.Feature;
import io.foresail.features.kernel.FeatureKernel;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.features.spec.FeatureSetSpec;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared expression graph changes no value: every feature of the default plan, computed in one
 * {@link SymbolFeatures} graph per symbol, equals its own stand-alone kernel bit for bit, and the
 * graph really shares (it evaluates far fewer nodes than the kernels would on their own).
 */
class SymbolFeaturesTest {
    private static final TestMarket MARKET = TestMarket.generate(2, LocalDate.of(2023, 1, 3), LocalDate.of(2023, 4, 28), 5);
    private static final FeaturePlan PLAN = FeaturePlan.resolve(FeatureSetSpec.defaultSpec(), FeatureLibrary.standard());

    @Test
    void sharedGraphEqualsStandAloneKernelsBitForBit() {
        BarGrid grid = MARKET.grid();
        SymbolBars bars = MARKET.equities().get(1);
        List<Feature> features = PLAN.features();
        SymbolFeatures shared = new SymbolFeatures(features);
        FeatureKernel[] own = features.stream().map(Feature::newKernel).toArray(FeatureKernel[]::new);
        MutableBarInput input = new MutableBarInput();
        // Context returns with occasional gaps (NaN), as a missing benchmark or sector bar gives.
        SplittableRandom r = new SplittableRandom(3);
        double[] row = new double[features.size()];
        long defined = 0;
        for (int i = 0; i < bars.size(); i++) {
            int g = grid.indexOf(java.time.Instant.EPOCH.plusNanos(bars.ts()[i] * 1000));
            input.bar(bars.ts()[i], bars.open()[i], bars.high()[i], bars.low()[i], bars.close()[i],
                            bars.volume()[i], bars.vwap()[i])
                    .session(grid.slotInSession(g), grid.barsInSessionOf(g), grid.sessionIndexOf(g))
                    .context(r.nextInt(50) == 0 ? Double.NaN : r.nextGaussian() * 1e-3,
                            r.nextInt(50) == 0 ? Double.NaN : r.nextGaussian() * 1e-3);
            shared.update(input, row, 0);
            for (int k = 0; k < own.length; k++) {
                double alone = own[k].update(input);
                if (Double.doubleToRawLongBits(alone) != Double.doubleToRawLongBits(row[k])) {
                    throw new AssertionError(features.get(k).name() + " at bar " + i + ": shared " + row[k]
                            + ", stand-alone " + alone);
                }
                defined += Double.isNaN(alone) ? 0 : 1;
            }
        }
        assertThat(defined).as("defined values compared").isGreaterThan((long) bars.size() * features.size() / 2);

        int standAloneNodes = 0;
        for (Feature f : features) {
            if (f.newKernel() instanceof ExprKernel k) {
                ExprGraph alone = new ExprGraph();
                alone.output(k.expr());
                standAloneNodes += alone.size();
            }
        }
        assertThat(shared.graphSize()).as("shared nodes vs %d stand-alone", standAloneNodes)
                .isLessThan(standAloneNodes / 2);
    }
}
