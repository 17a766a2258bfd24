package io.foresail.models.linear;

import io.foresail.core.io.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresail.core.error.ForesailException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelType;
import io.foresail.models.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A fitted ridge model: {@code ŷ = intercept + Σ w_j (x_j - mean_j) scale_j}, a missing input
 * counting as its training mean. Stored as {@code ridge.json}; doubles are written with Jackson's
 * shortest round-trip form, so a reloaded model predicts the same bits. Holds no native resource.
 */
public final class RidgeModel implements Model {
    private static final String FILE = "ridge.json";

    /** The normalisation fitted on the training rows and the weights on the normalised inputs. */
    public record Coefficients(@JsonProperty("mean") double[] mean, @JsonProperty("scale") double[] scale,
                               @JsonProperty("weights") double[] weights, @JsonProperty("intercept") double intercept) {
    }

    private final ModelCard card;
    private final Coefficients c;

    RidgeModel(ModelCard card, Coefficients c) {
        this.card = card;
        this.c = c;
    }

    public Coefficients coefficients() {
        return c;
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public double[] predict(FeatureMatrix x) {
        card.checkInputs(x);
        double[] out = new double[x.rows()];
        int p = x.cols();
        for (int i = 0; i < out.length; i++) {
            double s = c.intercept();
            for (int j = 0; j < p; j++) {
                float v = x.get(i, j);
                if (!Float.isNaN(v)) {
                    s += c.weights()[j] * ((v - c.mean()[j]) * c.scale()[j]);
                }
            }
            out[i] = s;
        }
        return out;
    }

    /** |weight| per standardised feature. */
    @Override
    public java.util.Map<String, Double> featureImportance() {
        return Model.shares(card.features(), c.weights());
    }

    @Override
    public List<String> writeFiles(Path dir) {
        try {
            Json.MAPPER.writeValue(dir.resolve(FILE).toFile(), c);
            return List.of(FILE);
        } catch (IOException e) {
            throw new ForesailException("cannot save ridge model to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // Plain Java arrays: nothing to free.
    }

    /** The {@code ridge} model type: reads {@code ridge.json}, trains with {@link RidgeTrainer}. */
    public static final class Type implements ModelType {
        @Override
        public String type() {
            return RidgeTrainer.TYPE;
        }

        @Override
        public java.util.Optional<Trainer> trainer() {
            return java.util.Optional.of(new RidgeTrainer());
        }

        @Override
        public Model load(Path dir, ModelCard card) {
            try {
                return new RidgeModel(card, Json.MAPPER.readValue(dir.resolve(FILE).toFile(), Coefficients.class));
            } catch (IOException e) {
                throw new ForesailException("cannot load ridge model from " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
