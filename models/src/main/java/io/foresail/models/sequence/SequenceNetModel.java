package io.foresail.models.sequence;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelFormat;
import io.foresail.models.Task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fitted sequence network (DJL on PyTorch, CPU): an LSTM or a Transformer encoder over a window of
 * the last L feature vectors ({@link SequenceNetwork}). Inputs are normalised with the training
 * rows' mean and deviation (saved with the model; a missing value becomes 0, the mean). Input to
 * {@link #predict}: {@code batch × L} rows, each sample's L rows consecutive, oldest first (see
 * {@link SequenceWindows#windows}). Owns a DJL model and its native memory: close it.
 */
public final class SequenceNetModel implements Model {
    static final String PARAMS = "network";
    static final String NORMALISATION = "normalisation.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PREDICT_BATCH = 1024;

    /** Per-feature centring and scaling fitted on the training rows. */
    public record Normalisation(@JsonProperty("mean") float[] mean, @JsonProperty("scale") float[] scale) {
        void apply(float[] values, int cols) {
            for (int row = 0; row < values.length; row += cols) {
                for (int j = 0; j < cols; j++) {
                    float v = values[row + j];
                    values[row + j] = Float.isNaN(v) ? 0f : (v - mean[j]) * scale[j];
                }
            }
        }
    }

    private final ModelCard card;
    private final ai.djl.Model model;
    private final Normalisation normalisation;

    SequenceNetModel(ModelCard card, ai.djl.Model model, Normalisation normalisation) {
        this.card = card;
        this.model = model;
        this.normalisation = normalisation;
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public synchronized double[] predict(FeatureMatrix x) {
        card.checkInputs(x);
        int length = card.sequenceLength();
        if (x.rows() % length != 0) {
            throw new InvalidInputException(card.type() + " model takes windows of " + length + " rows; got " + x.rows()
                    + " rows, not a multiple");
        }
        int samples = x.rows() / length;
        int p = x.cols();
        double[] out = new double[samples];
        for (int from = 0; from < samples; from += PREDICT_BATCH) {
            int n = Math.min(PREDICT_BATCH, samples - from);
            float[] batch = new float[n * length * p];
            System.arraycopy(x.values(), from * length * p, batch, 0, batch.length);
            normalisation.apply(batch, p);
            float[] scores = forward(model, batch, n, length, p);
            for (int i = 0; i < n; i++) {
                out[from + i] = card.task() == Task.CLASSIFICATION ? sigmoid(scores[i]) : scores[i];
            }
        }
        return out;
    }

    /** The network's raw outputs (logits for a classifier) for normalised windows, inference mode. */
    static float[] forward(ai.djl.Model model, float[] normalised, int n, int length, int p) {
        return TorchThread.call(() -> forwardHere(model, normalised, n, length, p));
    }

    private static float[] forwardHere(ai.djl.Model model, float[] normalised, int n, int length, int p) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray in = tensor(m, normalised, new Shape(n, length, p));
            NDArray out = model.getBlock().forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
            return out.toFloatArray();
        }
    }

    /**
     * A tensor holding a copy of {@code values} in memory PyTorch allocated itself. {@code create}
     * alone wraps a Java direct buffer, whose address is only 16-byte aligned and differs from call
     * to call; PyTorch's vectorised CPU kernels then take alignment-dependent paths, and a refit
     * could differ from the fit in the last bits. The copy is aligned like every other tensor.
     */
    static NDArray tensor(NDManager m, float[] values, Shape shape) {
        try (NDArray wrapped = m.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    static double sigmoid(float z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    @Override
    public synchronized List<String> writeFiles(Path dir) {
        try {
            model.save(dir, PARAMS);
            JSON.writeValue(dir.resolve(NORMALISATION).toFile(), normalisation);
            List<String> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.map(f -> f.getFileName().toString()).sorted().forEach(files::add);
            }
            return files;
        } catch (IOException e) {
            throw new ForesailException("cannot save " + card.type() + " model to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        model.close();
    }

    /** Reads sequence-network artifacts: the network is rebuilt from the card's hyperparameters, then its parameters loaded. */
    abstract static class Format implements ModelFormat {
        private final SequenceNetwork network;

        Format(SequenceNetwork network) {
            this.network = network;
        }

        @Override
        public String type() {
            return network.type();
        }

        @Override
        public Model load(Path dir, ModelCard card) {
            var h = new io.foresail.models.Hyperparameters(card.hyperparameters());
            return TorchThread.call(() -> {
                ai.djl.Model m = ai.djl.Model.newInstance(network.type());
                try {
                    m.setBlock(network.build(h));
                    m.load(dir, PARAMS);
                    Normalisation n = JSON.readValue(dir.resolve(NORMALISATION).toFile(), Normalisation.class);
                    return new SequenceNetModel(card, m, n);
                } catch (IOException | MalformedModelException e) {
                    m.close();
                    throw new ForesailException("cannot load " + network.type() + " model from " + dir + ": " + e.getMessage(), e);
                }
            });
        }
    }

    /** Reads {@code lstm} artifacts. */
    public static final class LstmFormat extends Format {
        public LstmFormat() {
            super(SequenceNetwork.LSTM_NET);
        }
    }

    /** Reads {@code transformer} artifacts. */
    public static final class TransformerFormat extends Format {
        public TransformerFormat() {
            super(SequenceNetwork.TRANSFORMER_NET);
        }
    }
}
