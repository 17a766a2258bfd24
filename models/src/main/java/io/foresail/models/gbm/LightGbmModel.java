package io.foresail.models.gbm;

import com.microsoft.ml.lightgbm.PredictionType;
import io.foresail.core.error.ForesailException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelFormat;
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
public final class LightGbmModel implements Model {
    static final String LIBRARY_VERSION = "4.3.0-1";
    private static final String FILE = "lightgbm.txt";

    private final ModelCard card;
    private final String text;
    private final LGBMBooster booster;
    private final String predictParams;
    private boolean closed;

    LightGbmModel(ModelCard card, String text) {
        this.card = card;
        this.text = text;
        try {
            this.booster = LGBMBooster.loadModelFromString(text);
        } catch (LGBMException e) {
            throw new ForesailException("cannot load LightGBM model text: " + e.getMessage(), e);
        }
        this.predictParams = "num_threads=" + card.threads();
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public synchronized double[] predict(FeatureMatrix x) {
        card.checkInputs(x);
        if (closed) {
            throw new IllegalStateException("the LightGBM model is closed");
        }
        if (x.rows() == 0) {
            return new double[0];
        }
        try {
            return booster.predictForMat(x.values(), x.rows(), x.cols(), true, PredictionType.C_API_PREDICT_NORMAL, predictParams);
        } catch (LGBMException e) {
            throw new ForesailException("LightGBM prediction failed: " + e.getMessage(), e);
        }
    }

    /** Total split gain per feature over the kept trees. */
    @Override
    public synchronized java.util.Map<String, Double> featureImportance() {
        try {
            double[] gain = booster.featureImportance(0, LGBMBooster.FeatureImportanceType.GAIN);
            return Model.shares(card.features(), gain);
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
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                booster.close();
            } catch (LGBMException e) {
                throw new ForesailException("cannot free LightGBM booster: " + e.getMessage(), e);
            }
        }
    }

    /** Reads {@code lightgbm.txt} models. */
    public static final class Format implements ModelFormat {
        @Override
        public String type() {
            return LightGbmTrainer.TYPE;
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
