package io.foresail.models.gbm;

import io.foresail.core.error.ForesailException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelType;
import io.foresail.models.NativeModel;
import io.foresail.models.Trainer;
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
public final class XGBoostModel extends NativeModel {
    static final String LIBRARY_VERSION = "3.1.1";
    private static final String FILE = "xgboost.ubj";

    private final Booster booster;
    private final int trees;
    /** The booster's {@code nthread} now (set on load to the card's; changed under the model's lock). */
    private int boosterThreads;

    /** Takes ownership of {@code booster}: it is disposed when this model is closed. */
    XGBoostModel(ModelCard card, Booster booster, int trees) {
        super(card);
        this.booster = booster;
        this.trees = trees;
        this.boosterThreads = card.threads();
    }

    @Override
    protected double[] predictRows(FeatureMatrix x) throws XGBoostError {
        int threads = threadsFor(x.rows());
        if (threads != boosterThreads) {
            booster.setParam("nthread", threads);
            boosterThreads = threads;
        }
        float[][] p = booster.inplace_predict(x.values(), x.rows(), x.cols(), Float.NaN, new int[] {0, trees});
        double[] out = new double[x.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = p[i][0];
        }
        return out;
    }

    /** Total split gain per feature, over every tree of the booster (the early-stopping tail included). */
    @Override
    public synchronized java.util.Map<String, Double> featureImportance() {
        checkOpen();
        try {
            List<String> names = card().features();
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
    public synchronized List<String> writeFiles(Path dir) {
        checkOpen();
        try {
            Files.write(dir.resolve(FILE), booster.toByteArray("ubj"));
            return List.of(FILE);
        } catch (XGBoostError | IOException e) {
            throw new ForesailException("cannot save XGBoost model to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void release() {
        booster.dispose();
    }

    /** The {@code xgboost} model type: reads {@code xgboost.ubj}, trains with {@link XGBoostTrainer}. */
    public static final class Type implements ModelType {
        @Override
        public String type() {
            return XGBoostTrainer.TYPE;
        }

        @Override
        public java.util.Optional<Trainer> trainer() {
            return java.util.Optional.of(new XGBoostTrainer());
        }

        @Override
        public Model load(Path dir, ModelCard card) {
            try {
                return adopt(card, XGBoost.loadModel(Files.readAllBytes(dir.resolve(FILE))));
            } catch (XGBoostError | IOException e) {
                throw new ForesailException("cannot load XGBoost model from " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Wraps a booster as a model, disposing of it if that fails (a bad card, a parameter the
     * library refuses): the booster is owned by the returned model or by nobody.
     */
    static XGBoostModel adopt(ModelCard card, Booster booster) throws XGBoostError {
        try {
            booster.setParam("nthread", card.threads());
            String trees = card.attributes().get("trees");
            if (trees == null) {
                throw new ForesailException("XGBoost model card has no 'trees' attribute");
            }
            return new XGBoostModel(card, booster, Integer.parseInt(trees));
        } catch (XGBoostError | RuntimeException e) {
            booster.dispose();
            throw e;
        }
    }
}
