package io.foresail.models.gbm;

import io.foresail.core.error.ForesailException;
import io.foresail.models.FitRequest;
import io.foresail.models.Hyperparameters;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelTrainer;
import io.foresail.models.SearchSpace;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * XGBoost with the {@code hist} tree method: squared error for regression, logistic loss for the
 * direction class, early stopping on the validation rows ({@code early_stopping_rounds} without
 * improvement of RMSE or log-loss). The model keeps only the trees up to the best iteration.
 * Missing feature values (NaN) follow XGBoost's learned default directions.
 */
public final class XGBoostTrainer implements ModelTrainer {
    public static final String TYPE = "xgboost";

    private static final SearchSpace SPACE = new SearchSpace(TYPE, List.of(
            SearchSpace.log("eta", 0.05, 0.005, 0.3),
            SearchSpace.integer("max_depth", 4, 2, 8),
            SearchSpace.log("min_child_weight", 50, 1, 1000),
            SearchSpace.linear("subsample", 0.8, 0.5, 1.0),
            SearchSpace.linear("colsample_bytree", 0.8, 0.3, 1.0),
            SearchSpace.log("lambda", 1.0, 1e-3, 100),
            SearchSpace.log("alpha", 1e-3, 1e-4, 10),
            SearchSpace.integer("rounds", 400, 400, 400),
            SearchSpace.integer("early_stopping_rounds", 40, 40, 40),
            SearchSpace.integer("max_bin", 256, 256, 256)));

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SearchSpace searchSpace() {
        return SPACE;
    }

    @Override
    public Model fit(FitRequest r) {
        Hyperparameters h = r.hyperparameters();
        Map<String, Object> params = params(h, r.task(), r.seed(), r.threads());
        DMatrix train = null;
        DMatrix validation = null;
        try {
            train = matrix(r.train());
            validation = matrix(r.validation());
            Map<String, DMatrix> watches = new LinkedHashMap<>();
            watches.put("validation", validation);
            Booster booster = XGBoost.train(train, params, h.getInt("rounds"), watches, null, null, null,
                    h.getInt("early_stopping_rounds"));
            return model(r, booster, Map.of());
        } catch (XGBoostError e) {
            throw new ForesailException("XGBoost training failed: " + e.getMessage(), e);
        } finally {
            dispose(train);
            dispose(validation);
        }
    }

    /**
     * Wraps a booster fitted for {@code r} (here, or by a distributed fit) as a model that predicts
     * with the trees up to its early-stopping best iteration. Takes ownership of the booster, which is
     * disposed of if the model cannot be built.
     *
     * @param attributes extra card attributes, e.g. how the fit was distributed
     */
    public static Model model(FitRequest r, Booster booster, Map<String, String> attributes) throws XGBoostError {
        ModelCard card;
        try {
            String best = booster.getAttr("best_iteration");
            int trees = best == null ? r.hyperparameters().getInt("rounds") : Integer.parseInt(best) + 1;
            Map<String, String> a = new java.util.TreeMap<>(attributes);
            a.put("trees", Integer.toString(trees));
            a.put("library", "xgboost4j " + XGBoostModel.LIBRARY_VERSION);
            card = r.provenance().card(TYPE, 0, a);
        } catch (XGBoostError | RuntimeException e) {
            // Nobody else holds this booster: free it, or its native memory is lost.
            booster.dispose();
            throw e;
        }
        return XGBoostModel.adopt(card, booster);
    }

    /** The booster parameters of a fit: what the benchmark hands to Python XGBoost too. */
    public static Map<String, Object> params(Hyperparameters h, Task task, long seed, int threads) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("booster", "gbtree");
        p.put("tree_method", "hist");
        p.put("objective", task == Task.CLASSIFICATION ? "binary:logistic" : "reg:squarederror");
        p.put("eval_metric", task == Task.CLASSIFICATION ? "logloss" : "rmse");
        p.put("eta", h.getDouble("eta"));
        p.put("max_depth", h.getInt("max_depth"));
        p.put("min_child_weight", h.getDouble("min_child_weight"));
        p.put("subsample", h.getDouble("subsample"));
        p.put("colsample_bytree", h.getDouble("colsample_bytree"));
        p.put("lambda", h.getDouble("lambda"));
        p.put("alpha", h.getDouble("alpha"));
        p.put("max_bin", h.getInt("max_bin"));
        p.put("nthread", threads);
        p.put("seed", seed);
        p.put("verbosity", 0);
        // Read by xgboost4j itself (not the booster): without it every round's evaluation goes to the console.
        p.put("silent", 1);
        return p;
    }

    static DMatrix matrix(TrainingData d) throws XGBoostError {
        DMatrix m = new DMatrix(d.x().values(), d.x().rows(), d.x().cols(), Float.NaN);
        try {
            m.setLabel(d.y());
            return m;
        } catch (XGBoostError | RuntimeException e) {
            m.dispose();
            throw e;
        }
    }

    /**
     * Builds the training matrix and boosts {@code rounds} rounds with no evaluation set, then frees
     * the booster and the matrix, on success or failure: the unit of work the benchmark compares
     * with Python's xgboost.
     */
    public static void trainAndDiscard(TrainingData d, Map<String, Object> params, int rounds) throws XGBoostError {
        DMatrix m = matrix(d);
        try {
            XGBoost.train(m, params, rounds, Map.of(), null, null).dispose();
        } finally {
            m.dispose();
        }
    }

    static void dispose(DMatrix m) {
        if (m != null) {
            m.dispose();
        }
    }
}
