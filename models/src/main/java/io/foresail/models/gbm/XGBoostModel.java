package io.foresail.models.gbm;

import io.foresail.core.error.ForesailException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelFormat;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fitted XGBoost booster, predicting with its first {@code trees} iterations (the early-stopping
 * best). Stored as {@code xgboost.ubj} (XGBoost's universal binary JSON), which round-trips exactly.
 * Owns the native booster: close it.
 */
public final class XGBoostModel implements Model {
    static final String LIBRARY_VERSION = "3.1.1";
    private static final String FILE = "xgboost.ubj";

    private final ModelCard card;
    private final Booster booster;
    private final int trees;
    private boolean closed;

    XGBoostModel(ModelCard card, Booster booster, int trees) {
        this.card = card;
        this.booster = booster;
        this.trees = trees;
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public synchronized double[] predict(FeatureMatrix x) {
        card.checkInputs(x);
        if (closed) {
            throw new IllegalStateException("the XGBoost model is closed");
        }
        if (x.rows() == 0) {
            return new double[0];
        }
        try {
            float[][] p = booster.inplace_predict(x.values(), x.rows(), x.cols(), Float.NaN, new int[] {0, trees});
            double[] out = new double[x.rows()];
            for (int i = 0; i < out.length; i++) {
                out[i] = p[i][0];
            }
            return out;
        } catch (XGBoostError e) {
            throw new ForesailException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    /** Total split gain per feature, over every tree of the booster (the early-stopping tail included). */
    @Override
    public synchronized java.util.Map<String, Double> featureImportance() {
        try {
            List<String> names = card.features();
            java.util.Map<String, Double> gain = booster.getScore(indexNames(names.size()), "total_gain");
            double[] scores = new double[names.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = gain.getOrDefault("f" + i, 0.0);
            }
            return Model.shares(names, scores);
        } catch (XGBoostError e) {
            throw new ForesailException("XGBoost feature importance failed: " + e.getMessage(), e);
        }
    }

    private static String[] indexNames(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "f" + i;
        }
        return out;
    }

    @Override
    public List<String> writeFiles(Path dir) {
        try {
            Files.write(dir.resolve(FILE), booster.toByteArray("ubj"));
            return List.of(FILE);
        } catch (XGBoostError | IOException e) {
            throw new ForesailException("cannot save XGBoost model to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            booster.dispose();
        }
    }

    /** Reads {@code xgboost.ubj} models. */
    public static final class Format implements ModelFormat {
        @Override
        public String type() {
            return XGBoostTrainer.TYPE;
        }

        @Override
        public Model load(Path dir, ModelCard card) {
            try {
                Booster b = XGBoost.loadModel(Files.readAllBytes(dir.resolve(FILE)));
                b.setParam("nthread", card.threads());
                return new XGBoostModel(card, b, Integer.parseInt(card.attributes().get("trees")));
            } catch (XGBoostError | IOException e) {
                throw new ForesailException("cannot load XGBoost model from " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
