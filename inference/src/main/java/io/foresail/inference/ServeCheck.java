package io.foresail.inference;

import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelCard;
import io.foresail.registry.ModelRef;
import io.foresail.registry.ModelRegistry;
import io.foresail.registry.ModelVersion;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Whether a registered version can be served by this build, and how fast: resolve, fetch and verify,
 * load, check its recorded plan against the plan this build computes from the same spec and
 * universe, warm up, then time one bar's prediction for the plan's whole universe. What an operator
 * runs before promoting a version, and what {@code foresail models serve-check} prints.
 */
public final class ServeCheck {
    private ServeCheck() {
    }

    /**
     * The check's findings.
     *
     * @param stepSeconds  seconds per step, in order
     * @param symbols      symbols per timed prediction (the plan's universe)
     * @param window       bars per input window
     * @param p50Micros    median latency of one bar's prediction
     * @param p99Micros    99th percentile
     * @param failedStep   null when every step passed
     */
    public record Report(ModelVersion version, Map<String, Double> stepSeconds, int symbols, int window, int timedRuns,
                         double p50Micros, double p99Micros, double maxMicros, String failedStep, String reason) {
        public boolean passed() {
            return failedStep == null;
        }
    }

    /** Runs the check; a failed step is reported, not thrown. Registry errors (unknown name, server down) are thrown. */
    public static Report run(ModelRegistry registry, ModelRef ref, int runs) {
        ModelVersion v = registry.resolve(ref);
        RunningPlan plan;
        Map<String, Double> steps = new LinkedHashMap<>();
        try {
            ModelCard card = ModelArtifact.readCard(registry.fetch(v));
            if (card.inputs() == null) {
                return new Report(v, steps, 0, 0, 0, 0, 0, 0, "plan check", "version " + v.version()
                        + " records no feature plan; retrain it on a rebuilt feature set");
            }
            plan = RunningPlan.recomputed(card.inputs());
        } catch (RuntimeException e) {
            return new Report(v, steps, 0, 0, 0, 0, 0, 0, "fetch+verify", e.getMessage());
        }
        VersionLoader.Loaded loaded;
        try {
            loaded = VersionLoader.load(registry, v, plan, Integer.MAX_VALUE);
        } catch (VersionLoader.Refused e) {
            return new Report(v, steps, 0, 0, 0, 0, 0, 0, e.step().name().toLowerCase(java.util.Locale.ROOT), e.getMessage());
        }
        try (Model model = loaded.model()) {
            steps.putAll(loaded.stepSeconds());
            int symbols = Math.max(1, plan.symbols().size());
            int window = Math.max(1, model.card().sequenceLength());
            int width = plan.columns().size();
            float[] x = new float[symbols * window * width];
            SplittableRandom r = new SplittableRandom(42);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            FeatureMatrix batch = new FeatureMatrix(x, symbols * window, width);
            for (int i = 0; i < Math.min(20, runs); i++) {
                model.predict(batch);
            }
            double[] micros = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                model.predict(batch);
                micros[i] = (System.nanoTime() - t0) / 1e3;
            }
            Arrays.sort(micros);
            return new Report(v, steps, symbols, window, runs, quantile(micros, 0.5), quantile(micros, 0.99),
                    micros[micros.length - 1], null, null);
        }
    }

    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
