package io.foresail.inference;

import io.foresail.features.engine.FeatureFrame;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.stacked.StackedEnsemble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link Predictor} of the live path: feeds each frame into per-symbol windows, takes a
 * reference on the model the {@link ChampionWatcher} serves, predicts every ready symbol in one
 * batch, and releases the reference, so a swap never closes a model under a prediction. A symbol is
 * ready once it has had enough bars for the longest feature warm-up and for the model's window (and,
 * for a model that takes no missing values, when its window holds none); every other symbol with a
 * bar is reported as warming up, never scored. The batch buffer is reused from bar to bar. Given
 * {@link EnsembleLanes}, a stacked ensemble's members predict side by side.
 * Not thread-safe: one bar loop calls it, in bar order.
 */
public final class ChampionPredictor implements Predictor {
    private static final Logger LOG = LoggerFactory.getLogger(ChampionPredictor.class);

    private final ChampionWatcher watcher;
    private final RunningPlan plan;
    private final InferenceMetrics metrics;
    private final FeatureWindows windows;
    private final int width;
    private final List<String> universe;
    private final EnsembleLanes lanes;
    private float[] buffer = new float[0];

    public ChampionPredictor(ChampionWatcher watcher, RunningPlan plan, InferenceMetrics metrics) {
        this(watcher, plan, metrics, null);
    }

    /**
     * @param lanes threads for a stacked ensemble's members beside the caller's, or null: every
     *              member on the calling thread (the caller keeps ownership and closes them)
     */
    public ChampionPredictor(ChampionWatcher watcher, RunningPlan plan, InferenceMetrics metrics, EnsembleLanes lanes) {
        this.lanes = lanes;
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.width = plan.columns().size();
        this.universe = plan.symbols();
        this.windows = new FeatureWindows(width, watcher.settings().windowCapacity());
    }

    /**
     * Takes a frame into the windows without predicting: the warm-up from history, where only the
     * last bar's scores matter. Frames observed and predicted form one sequence, in bar order.
     */
    public void observe(FeatureFrame frame) {
        if (!frame.names().equals(plan.columns())) {
            throw new IllegalArgumentException("frame at " + frame.start() + " has " + frame.names().size()
                    + " columns that are not the running plan's " + width);
        }
        for (int i = 0; i < frame.symbols().size(); i++) {
            windows.add(frame.symbols().get(i), frame.values()[i]);
        }
    }

    @Override
    public BarPredictions predict(FeatureFrame frame) {
        observe(frame);
        ServingModel served = watcher.acquire();
        if (served == null) {
            throw new IllegalStateException("no model is being served yet for " + watcher.settings().modelName() + "@"
                    + watcher.settings().alias() + " (bar " + frame.start() + ")");
        }
        try {
            long t0 = System.nanoTime();
            Model model = served.model();
            int window = served.window();
            long need = Math.max(window, plan.warmUpBars());
            boolean missingAllowed = model.acceptsMissingValues();
            List<String> ready = new ArrayList<>();
            List<String> warming = new ArrayList<>();
            for (String s : frame.symbols()) {
                boolean ok = windows.seen(s) >= need && (missingAllowed || !windows.anyMissing(s, window));
                (ok ? ready : warming).add(s);
            }
            double[] scores = new double[0];
            if (!ready.isEmpty()) {
                int rows = ready.size() * window;
                if (buffer.length != rows * width) {
                    buffer = new float[rows * width];
                }
                for (int i = 0; i < ready.size(); i++) {
                    windows.copy(ready.get(i), window, buffer, i * window);
                }
                FeatureMatrix x = new FeatureMatrix(buffer, rows, width);
                scores = lanes != null && model instanceof StackedEnsemble ensemble
                        ? ensemble.predict(x, lanes.executor(), lanes.helpers()) : model.predict(x);
            }
            long micros = (System.nanoTime() - t0) / 1_000;
            metrics.predicted(ready.size(), micros);
            if (!warming.isEmpty() && LOG.isDebugEnabled()) {
                LOG.debug("bar {}: {} symbols warming up ({}), model {}", frame.start(), warming.size(), warming, served.version());
            }
            return new BarPredictions(frame.start(), served.version(), ready, scores, warming, missing(frame));
        } finally {
            served.release();
        }
    }

    private List<String> missing(FeatureFrame frame) {
        Set<String> present = new HashSet<>(frame.symbols());
        List<String> out = new ArrayList<>();
        for (String s : universe) {
            if (!present.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
