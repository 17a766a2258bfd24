package io.foresail.models.gbm;

import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelsTest;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import com.microsoft.ml.lightgbm.PredictionType;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Early stopping keeps the best iteration, checked against a validation-loss curve this test
 * computes itself from the libraries, not from what the trainer reports: the kept tree count is
 * the curve's minimum, boosting stopped exactly {@code early_stopping_rounds} after it, and the
 * model predicts with exactly those trees.
 */
class EarlyStoppingTest {
    private static final int PATIENCE = 10;
    // A high learning rate overfits within a few rounds; validation loss then rises.
    private static final Map<String, Object> FAST = Map.of("rounds", 2000, "early_stopping_rounds", PATIENCE);

    @Test
    void xgboostKeepsTheMinimumOfTheValidationCurve(@TempDir Path tmp) throws Exception {
        XGBoostTrainer t = new XGBoostTrainer();
        FitRequest r = ModelsTest.request(t, Task.REGRESSION, with("eta", 0.3));
        int kept;
        double[] keptPrediction;
        try (Model m = t.fit(r)) {
            kept = Integer.parseInt(m.card().attributes().get("trees"));
            keptPrediction = m.predict(r.validation().x());
            m.save(tmp.resolve("m"));
        }
        // The saved booster holds every round boosted; the model predicts with the first `kept`.
        Booster all = XGBoost.loadModel(Files.readAllBytes(tmp.resolve("m").resolve("xgboost.ubj")));
        try {
            int boosted = all.getNumBoostedRound();
            double[] curve = new double[boosted + 1];
            curve[0] = Double.POSITIVE_INFINITY;
            for (int k = 1; k <= boosted; k++) {
                curve[k] = rmse(predict(all, r.validation(), k), r.validation().y());
            }
            int best = argmin(curve);
            assertThat(kept).as("trees kept = the validation minimum").isEqualTo(best);
            assertThat(boosted).as("stopped %d rounds after the minimum", PATIENCE).isEqualTo(best + PATIENCE);
            assertThat(boosted).as("stopped early").isLessThan(2000);
            assertThat(keptPrediction).containsExactly(predict(all, r.validation(), kept));
        } finally {
            all.dispose();
        }
    }

    @Test
    void lightgbmKeepsTheMinimumOfTheValidationCurve() throws Exception {
        LightGbmTrainer t = new LightGbmTrainer();
        FitRequest r = ModelsTest.request(t, Task.REGRESSION, with("learning_rate", 0.3));
        int kept;
        double[] keptPrediction;
        try (Model m = t.fit(r)) {
            kept = Integer.parseInt(m.card().attributes().get("trees"));
            keptPrediction = m.predict(r.validation().x());
        }
        // Boost the same data with the same parameters here, measuring validation RMSE after every
        // round from the predictions, and stop once PATIENCE rounds pass without a new minimum.
        LightGbmNative.ensureLoaded();
        var h = r.hyperparameters();
        String datasetParams = String.format(java.util.Locale.ROOT, "max_bin=%d verbosity=-1 num_threads=%d seed=%d",
                h.getInt("max_bin"), r.threads(), r.seed());
        TrainingData train = r.train();
        try (LGBMDataset d = LGBMDataset.createFromMat(train.x().values(), train.rows(), train.x().cols(), true, datasetParams, null);
             LGBMBooster booster = createBooster(d, train, LightGbmTrainer.params(h, Task.REGRESSION, r.seed(), r.threads()))) {
            double best = Double.POSITIVE_INFINITY;
            int bestRounds = 0;
            int rounds = 0;
            while (rounds - bestRounds < PATIENCE) {
                booster.updateOneIter();
                rounds++;
                double loss = rmse(booster.predictForMat(r.validation().x().values(), r.validation().rows(),
                        r.validation().x().cols(), true, PredictionType.C_API_PREDICT_NORMAL, "num_threads=" + r.threads()),
                        r.validation().y());
                if (loss < best) {
                    best = loss;
                    bestRounds = rounds;
                }
            }
            assertThat(kept).as("trees kept = the validation minimum").isEqualTo(bestRounds);
            assertThat(bestRounds).as("stopped early").isLessThan(2000 - PATIENCE);
            try (LGBMBooster truncated = LGBMBooster.loadModelFromString(
                    booster.saveModelToString(0, bestRounds, LGBMBooster.FeatureImportanceType.GAIN))) {
                assertThat(keptPrediction).containsExactly(truncated.predictForMat(r.validation().x().values(),
                        r.validation().rows(), r.validation().x().cols(), true, PredictionType.C_API_PREDICT_NORMAL,
                        "num_threads=" + r.threads()));
            }
        }
    }

    private static LGBMBooster createBooster(LGBMDataset d, TrainingData train, String params) throws Exception {
        d.setField("label", train.y());
        return LGBMBooster.create(d, params);
    }

    private static Map<String, Object> with(String rate, double value) {
        Map<String, Object> m = new java.util.HashMap<>(FAST);
        m.put(rate, value);
        return m;
    }

    private static double[] predict(Booster b, TrainingData d, int trees) throws Exception {
        float[][] p = b.inplace_predict(d.x().values(), d.rows(), d.x().cols(), Float.NaN, new int[] {0, trees});
        double[] out = new double[p.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = p[i][0];
        }
        return out;
    }

    private static double rmse(double[] p, float[] y) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += (p[i] - y[i]) * (p[i] - y[i]);
        }
        return Math.sqrt(s / p.length);
    }

    private static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }
}
