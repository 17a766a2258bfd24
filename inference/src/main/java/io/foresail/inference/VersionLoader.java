package io.foresail.inference;

import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelIntegrityException;
import io.foresail.registry.ModelRegistry;
import io.foresail.registry.ModelVersion;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The steps between a registered version and a model fit to serve: fetch and verify (through the
 * registry's cache), load, check against the running plan, warm up with a real prediction. Each
 * step is timed; a failure names its step. Shared by the {@link ChampionWatcher} and {@link ServeCheck}.
 */
final class VersionLoader {
    private VersionLoader() {
    }

    /** A version that failed a step. */
    static final class Refused extends RuntimeException {
        private final InferenceMetrics.Refusal step;

        Refused(InferenceMetrics.Refusal step, String reason, Throwable cause) {
            super(reason, cause);
            this.step = step;
        }

        InferenceMetrics.Refusal step() {
            return step;
        }
    }

    /** A model ready to serve, and the seconds each step took, in order. The caller owns (closes) the model. */
    record Loaded(Model model, Map<String, Double> stepSeconds) {
    }

    static Loaded load(ModelRegistry registry, ModelVersion v, RunningPlan plan, int windowCapacity) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        InferenceMetrics.Refusal step = InferenceMetrics.Refusal.FETCH;
        Model model = null;
        long t = System.nanoTime();
        try {
            Path dir = registry.fetch(v);
            t = lap(seconds, "fetch+verify", t);
            step = InferenceMetrics.Refusal.LOAD;
            model = ModelArtifact.load(dir);
            t = lap(seconds, "load", t);
            step = InferenceMetrics.Refusal.INCOMPATIBLE;
            plan.requireServes(model.card(), "version " + v.version(), windowCapacity);
            t = lap(seconds, "plan check", t);
            step = InferenceMetrics.Refusal.WARM_UP;
            warmUp(model);
            lap(seconds, "warm-up", t);
            return new Loaded(model, seconds);
        } catch (RuntimeException e) {
            if (model != null) {
                model.close();
            }
            throw new Refused(e instanceof ModelIntegrityException ? InferenceMetrics.Refusal.VERIFY : step,
                    String.valueOf(e.getMessage()), e);
        }
    }

    private static long lap(Map<String, Double> seconds, String step, long since) {
        long now = System.nanoTime();
        seconds.put(step, (now - since) / 1e9);
        return now;
    }

    /** A real prediction through every member on two windows of zeros: a model that cannot predict is refused here. */
    static void warmUp(Model model) {
        int window = Math.max(1, model.card().sequenceLength());
        int width = model.card().features().size();
        double[] p = model.predict(new FeatureMatrix(new float[2 * window * width], 2 * window, width));
        if (p.length != 2 || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
            throw new IllegalStateException("warm-up prediction gave " + java.util.Arrays.toString(p)
                    + " for two windows; expected two finite scores");
        }
    }
}
