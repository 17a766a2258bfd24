package io.foresail.models.gbm;

import io.foresail.core.error.ForesailException;
import io.foresail.models.FitRequest;
import io.foresail.models.Hyperparameters;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelTrainer;
import io.foresail.models.SearchSpace;
import io.foresail.models.Task;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.github.metarank.lightgbm4j.LGBMException;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LightGBM gradient boosting: L2 regression or binary log-loss, early stopping on the validation
 * rows. Runs with {@code deterministic=true} and row-wise histograms so a refit with the same seed
 * and threads gives the same trees. The model keeps the trees up to the best iteration.
 */
public final class LightGbmTrainer implements ModelTrainer {
    public static final String TYPE = "lightgbm";

    private static final SearchSpace SPACE = new SearchSpace(TYPE, List.of(
            SearchSpace.log("learning_rate", 0.05, 0.005, 0.3),
            SearchSpace.integer("num_leaves", 15, 4, 127),
            SearchSpace.log("min_data_in_leaf", 200, 20, 5000),
            SearchSpace.linear("feature_fraction", 0.8, 0.3, 1.0),
            SearchSpace.linear("bagging_fraction", 0.8, 0.5, 1.0),
            SearchSpace.log("lambda_l1", 1e-3, 1e-4, 10),
            SearchSpace.log("lambda_l2", 1.0, 1e-3, 100),
            SearchSpace.integer("rounds", 400, 400, 400),
            SearchSpace.integer("early_stopping_rounds", 40, 40, 40),
            SearchSpace.integer("max_bin", 255, 255, 255)));

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
        String params = params(h, r.task(), r.seed(), r.threads());
        String datasetParams = String.format(Locale.ROOT, "max_bin=%d verbosity=-1 num_threads=%d seed=%d",
                h.getInt("max_bin"), r.threads(), r.seed());
        try {
            LightGbmNative.ensureLoaded();
            String modelText;
            int trees;
            try (LGBMDataset train = LGBMDataset.createFromMat(r.train().x().values(), r.train().rows(),
                    r.train().x().cols(), true, datasetParams, null);
                 LGBMDataset validation = LGBMDataset.createFromMat(r.validation().x().values(), r.validation().rows(),
                         r.validation().x().cols(), true, datasetParams, train)) {
                train.setField("label", r.train().y());
                validation.setField("label", r.validation().y());
                try (LGBMBooster booster = LGBMBooster.create(train, params)) {
                    booster.addValidData(validation);
                    int rounds = h.getInt("rounds");
                    int patience = h.getInt("early_stopping_rounds");
                    double best = Double.POSITIVE_INFINITY;
                    int bestIteration = 0;
                    for (int i = 0; i < rounds; i++) {
                        boolean finished = booster.updateOneIter();
                        double loss = booster.getEval(1)[0];
                        if (loss < best) {
                            best = loss;
                            bestIteration = i;
                        } else if (i - bestIteration >= patience) {
                            break;
                        }
                        if (finished) {
                            break;
                        }
                    }
                    trees = bestIteration + 1;
                    modelText = booster.saveModelToString(0, trees, LGBMBooster.FeatureImportanceType.GAIN);
                }
            }
            ModelCard card = r.provenance().card(TYPE, 0, Map.of("trees", Integer.toString(trees),
                    "library", "lightgbm4j " + LightGbmModel.LIBRARY_VERSION));
            return new LightGbmModel(card, modelText);
        } catch (LGBMException e) {
            throw new ForesailException("LightGBM training failed: " + e.getMessage(), e);
        }
    }

    static String params(Hyperparameters h, Task task, long seed, int threads) {
        return String.format(Locale.ROOT, "objective=%s metric=%s learning_rate=%s num_leaves=%d "
                        + "min_data_in_leaf=%d feature_fraction=%s bagging_fraction=%s bagging_freq=1 "
                        + "lambda_l1=%s lambda_l2=%s num_threads=%d seed=%d deterministic=true "
                        + "force_row_wise=true verbosity=-1",
                task == Task.CLASSIFICATION ? "binary" : "regression",
                task == Task.CLASSIFICATION ? "binary_logloss" : "l2",
                h.getDouble("learning_rate"), h.getInt("num_leaves"), (int) Math.round(h.getDouble("min_data_in_leaf")),
                h.getDouble("feature_fraction"), h.getDouble("bagging_fraction"), h.getDouble("lambda_l1"),
                h.getDouble("lambda_l2"), threads, seed);
    }
}
