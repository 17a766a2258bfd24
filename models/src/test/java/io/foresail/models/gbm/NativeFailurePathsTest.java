package io.foresail.models.gbm;

import io.foresail.core.error.ForesailException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitProvenance;
import io.foresail.models.FitRequest;
import io.foresail.models.Hyperparameters;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A booster that cannot become a model is freed, never leaked: the inference service will load and
 * refuse models hundreds of times in one process. XGBoost4J's {@code Booster} keeps its native
 * handle in a private field that {@code dispose} zeroes; these tests read it to see the release.
 */
class NativeFailurePathsTest {
    private static final List<String> FEATURES = List.of("a", "b", "c");

    @Test
    void aBoosterWhoseCardHasNoTreeCountIsDisposed() throws Exception {
        Booster booster = booster();
        assertThat(handle(booster)).isNotZero();
        ModelCard noTrees = provenance().card(XGBoostTrainer.TYPE, 0, Map.of());
        assertThatThrownBy(() -> XGBoostModel.adopt(noTrees, booster)).isInstanceOf(ForesailException.class)
                .hasMessageContaining("'trees'");
        assertThat(handle(booster)).as("native booster freed").isZero();
    }

    @Test
    void aBoosterWithAnUnreadableBestIterationIsDisposed() throws Exception {
        Booster booster = booster();
        booster.setAttr("best_iteration", "not-a-number");
        FitRequest request = new FitRequest(data(50, 1), data(20, 2), provenance());
        assertThatThrownBy(() -> XGBoostTrainer.model(request, booster, Map.of())).isInstanceOf(NumberFormatException.class);
        assertThat(handle(booster)).as("native booster freed").isZero();
    }

    @Test
    void aWellFormedBoosterIsOwnedByItsModelAndFreedOnClose() throws Exception {
        Booster booster = booster();
        FitRequest request = new FitRequest(data(50, 1), data(20, 2), provenance());
        Model model = XGBoostTrainer.model(request, booster, Map.of());
        assertThat(model.predict(data(5, 3).x())).hasSize(5);
        assertThat(handle(booster)).isNotZero();
        model.close();
        assertThat(handle(booster)).isZero();
        model.close();
        assertThatThrownBy(() -> model.predict(data(5, 3).x())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("xgboost model is closed");
        assertThatThrownBy(model::featureImportance).isInstanceOf(IllegalStateException.class);
    }

    private static Booster booster() throws Exception {
        TrainingData d = data(200, 4);
        DMatrix m = new DMatrix(d.x().values(), d.rows(), d.x().cols(), Float.NaN);
        try {
            m.setLabel(d.y());
            return XGBoost.train(m, XGBoostTrainer.params(new XGBoostTrainer().searchSpace().defaults(),
                    Task.REGRESSION, 1, 1), 3, Map.of(), null, null);
        } finally {
            m.dispose();
        }
    }

    private static FitProvenance provenance() {
        return new FitProvenance(Task.REGRESSION, new Hyperparameters(Map.of("rounds", 3)), FEATURES, "y", "set", "", "", 1, 1);
    }

    private static TrainingData data(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * FEATURES.size()];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < FEATURES.size(); j++) {
                x[i * FEATURES.size() + j] = (float) r.nextGaussian();
            }
            y[i] = x[i * FEATURES.size()] + (float) r.nextGaussian() * 0.1f;
        }
        return new TrainingData(new FeatureMatrix(x, rows, FEATURES.size()), y);
    }

    static long handle(Booster b) throws ReflectiveOperationException {
        Field f = Booster.class.getDeclaredField("handle");
        f.setAccessible(true);
        return f.getLong(b);
    }
}
