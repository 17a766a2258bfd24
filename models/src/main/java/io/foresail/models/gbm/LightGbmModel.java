package io.foresail.models.gbm;

import com.microsoft.ml.lightgbm.PredictionType;
import io.foresail.core.error.ForesailException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelType;
import io.foresail.models.NativeModel;
import io.foresail.models.Trainer;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fitted LightGBM booster, loaded from its model text (the same text it is saved as, so a
 * reloaded model is the same model). Owns the native booster: close it.
 */
public final class LightGbmModel extends NativeModel {
    static final String LIBRARY_VERSION = "4.3.0-1";
    private static final String FILE = "lightgbm.txt";

    private final String text;
    private final LGBMBooster booster;
    private final String predictParams;
    private static final String ONE_THREAD = "num_threads=1";

    LightGbmModel(ModelCard card, String text) {
        super(card);
        this.text = text;
        try {
            this.booster = LGBMBooster.loadModelFromString(text);
        } catch (LGBMException e) {
            throw new ForesailException("cannot load LightGBM model text: " + e.getMessage(), e);
        }
        this.predictParams = "num_threads=" + card.threads();
    }

    @Override
    protected double[] predictRows(FeatureMatrix x) throws LGBMException {
        return booster.predictForMat(x.values(), x.rows(), x.cols(), true, PredictionType.C_API_PREDICT_NORMAL,
                threadsFor(x.rows()) == 1 ? ONE_THREAD : predictParams);
    }

    /** Total split gain per feature over the kept trees. */
    @Override
    public synchronized java.util.Map<String, Double> featureImportance() {
        checkOpen();
        try {
            double[] gain = booster.featureImportance(0, LGBMBooster.FeatureImportanceType.GAIN);
            return Model.shares(card().features(), gain);
        } catch (LGBMException e) {
            throw new ForesailException("LightGBM feature importance failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> writeFiles(Path dir) {
        try {
            Files.writeString(dir.resolve(FILE), text, StandardCharsets.UTF_8);
            return List.of(FILE);
        } catch (IOException e) {
            throw new ForesailException("cannot save LightGBM model to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void release() throws LGBMException {
        booster.close();
    }

    /** The {@code lightgbm} model type: reads {@code lightgbm.txt}, trains with {@link LightGbmTrainer}. */
    public static final class Type implements ModelType {
        @Override
        public String type() {
            return LightGbmTrainer.TYPE;
        }

        @Override
        public java.util.Optional<Trainer> trainer() {
            return java.util.Optional.of(new LightGbmTrainer());
        }

        @Override
        public Model load(Path dir, ModelCard card) {
            LightGbmNative.ensureLoaded();
            try {
                return new LightGbmModel(card, Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ForesailException("cannot load LightGBM model from " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
