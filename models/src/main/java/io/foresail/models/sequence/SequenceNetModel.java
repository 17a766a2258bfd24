package io.foresail.models.sequence;

import io.foresail.core.io.Json;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelType;
import io.foresail.models.NativeModel;
import io.foresail.models.Trainer;
import io.foresail.models.Task;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fitted sequence network (DJL on PyTorch, CPU): an LSTM or a Transformer encoder over a window of
 * the last L feature vectors ({@link SequenceNetwork}). Inputs are normalised with the training
 * rows' mean and deviation (saved with the model; a missing value becomes 0, the mean); a
 * regression target is standardised the same way for training, and predictions are returned in
 * the target's units. Input to
 * {@link #predict}: {@code batch × L} rows, each sample's L rows consecutive, oldest first (see
 * {@link SequenceWindows#windows}). Owns a DJL model and its native memory: close it.
 */
public final class SequenceNetModel extends NativeModel {
    static final String PARAMS = "network";
    static final String NORMALISATION = "normalisation.json";
    /** DJL's setting of PyTorch's intra-op threads, read when the engine starts. */
    private static final String TORCH_THREADS = "ai.djl.pytorch.num_threads";
    private static final int PREDICT_BATCH = 1024;

    /**
     * The network's inputs: which of the card's feature columns it reads ({@code columns}, in order;
     * absent in older artifacts, meaning all) and their centring and scaling, fitted on the training
     * rows. A missing value becomes 0, the mean; a standard score beyond {@code clip} is clipped to
     * it (heavy-tailed features would otherwise saturate the network). A regression target's mean
     * and deviation ({@code label_*}) turn standardised outputs back into the target's units.
     */
    public record Normalisation(@JsonProperty("columns") int[] columns,
                                @JsonProperty("mean") float[] mean,
                                @JsonProperty("scale") float[] scale,
                                @JsonProperty("label_mean") Double labelMean,
                                @JsonProperty("label_scale") Double labelScale,
                                @JsonProperty("clip") Double clip) {
        public Normalisation {
            if (columns != null && columns.length != mean.length) {
                throw new IllegalArgumentException(columns.length + " input columns but " + mean.length + " means");
            }
        }

        /**
         * The model's output for a raw network output: a probability for a classifier; for a
         * regression, the standardised prediction back in the target's units (older artifacts
         * without label statistics were trained on the raw target).
         */
        double output(float raw, Task task) {
            if (task == Task.CLASSIFICATION) {
                return sigmoid(raw);
            }
            return labelScale == null ? raw : raw * labelScale + labelMean;
        }

        /** How many values per bar the network reads. */
        int width() {
            return mean.length;
        }

        /** The card's feature columns the network reads, in order. */
        int[] inputColumns(int cols) {
            return columns != null ? columns : java.util.stream.IntStream.range(0, cols).toArray();
        }

        /** Normalises, in place, {@code rows} rows already narrowed to the input columns. */
        void applyNarrowed(float[] values, int rows) {
            int k = width();
            float c = clip == null ? Float.POSITIVE_INFINITY : clip.floatValue();
            for (int at = 0; at < rows * k; at += k) {
                for (int j = 0; j < k; j++) {
                    // NaN fails both comparisons and becomes 0, the mean; written without branches on
                    // the value so the JIT can vectorise the hottest loop of a batch.
                    float z = (values[at + j] - mean[j]) * scale[j];
                    z = z < -c ? -c : z;
                    z = z > c ? c : z;
                    values[at + j] = z == z ? z : 0f;
                }
            }
        }

        /**
         * Reads {@code rows} rows of {@code cols} raw feature values from {@code src}, starting at
         * index {@code offset}, and writes the network's {@link #width()} normalised inputs per row
         * into {@code dst}. Reading in place matters on the live path: a bar's batch is 800 rows of
         * 230 features, and a copy of it per member per bar was most of what the bar allocated.
         */
        void apply(float[] src, int offset, int rows, int cols, float[] dst) {
            narrow(src, offset, rows, cols, dst);
            applyNarrowed(dst, rows);
        }

        private void narrow(float[] src, int offset, int rows, int cols, float[] dst) {
            int k = width();
            for (int row = 0; row < rows; row++) {
                int in = offset + row * cols;
                int out = row * k;
                for (int j = 0; j < k; j++) {
                    dst[out + j] = src[in + (columns == null ? j : columns[j])];
                }
            }
        }
    }

    private final ai.djl.Model model;
    private final Normalisation normalisation;

    /**
     * Sets PyTorch's intra-op threads for a serving process (the trader, the inference benchmark)
     * to {@code threads}, unless {@code -Dai.djl.pytorch.num_threads} was given. Call it before the
     * first model is loaded (PyTorch reads it once, when DJL starts the engine). A bar's batch is
     * too small to share between OpenMP workers: a team of two was faster at the median but its
     * wake-ups put milliseconds into the tail (docs/benchmarks.md, inference). Fits set their own
     * thread count and are unaffected.
     */
    public static void servingThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("PyTorch threads must be at least 1, got " + threads);
        }
        if (System.getProperty(TORCH_THREADS) == null) {
            System.setProperty(TORCH_THREADS, Integer.toString(threads));
        }
    }

    /** Takes ownership of {@code model}: it is closed when this model is closed. */
    SequenceNetModel(ModelCard card, ai.djl.Model model, Normalisation normalisation) {
        super(card);
        this.model = model;
        this.normalisation = normalisation;
    }

    @Override
    protected double[] predictRows(FeatureMatrix x) {
        ModelCard card = card();
        int length = card.sequenceLength();
        if (x.rows() % length != 0) {
            throw new InvalidInputException(card.type() + " model takes windows of " + length + " rows; got " + x.rows()
                    + " rows, not a multiple");
        }
        int samples = x.rows() / length;
        int p = x.cols();
        double[] out = new double[samples];
        int k = normalisation.width();
        float[] batch = new float[Math.min(PREDICT_BATCH, samples) * length * k];
        for (int from = 0; from < samples; from += PREDICT_BATCH) {
            int n = Math.min(PREDICT_BATCH, samples - from);
            float[] in = n * length * k == batch.length ? batch : new float[n * length * k];
            normalisation.apply(x.values(), from * length * p, n * length, p, in);
            float[] scores = forward(model, in, n, length, k);
            for (int i = 0; i < n; i++) {
                out[from + i] = normalisation.output(scores[i], card.task());
            }
        }
        return out;
    }

    /**
     * Predicts the windows of {@code samples} straight from a pool of rows, gathering only the columns
     * the network reads: the same numbers as {@link #predict} on {@link SequenceWindows#windows}
     * (the same floats go into the same batches), without materialising full-width windows.
     */
    public synchronized double[] predict(SequenceWindows windows, int[] samples) {
        checkOpen();
        ModelCard card = card();
        int length = card.sequenceLength();
        if (windows.length() != length || windows.pool().cols() != card.features().size()) {
            throw new InvalidInputException(card.type() + " model takes windows of " + length + " bars of "
                    + card.features().size() + " features; got " + windows.length() + " of " + windows.pool().cols());
        }
        int[] columns = normalisation.inputColumns(windows.pool().cols());
        int k = normalisation.width();
        double[] out = new double[samples.length];
        float[] batch = new float[Math.min(PREDICT_BATCH, Math.max(1, samples.length)) * length * k];
        for (int from = 0; from < samples.length; from += PREDICT_BATCH) {
            int n = Math.min(PREDICT_BATCH, samples.length - from);
            float[] in = n * length * k == batch.length ? batch : new float[n * length * k];
            windows.gather(samples, from, from + n, columns, in);
            normalisation.applyNarrowed(in, n * length);
            float[] scores = guarded("prediction", () -> forward(model, in, n, length, k));
            for (int i = 0; i < n; i++) {
                out[from + i] = normalisation.output(scores[i], card.task());
            }
        }
        return out;
    }

    /**
     * The network's raw outputs (logits for a classifier) for normalised windows, inference mode.
     * A bar-sized batch runs on the calling thread: inference draws no random numbers and its bits
     * do not depend on the thread, while a hand-off to the PyTorch thread costs two wake-ups, and
     * the ensemble's members could not run side by side. Bigger batches (research, the backtest)
     * queue on the PyTorch thread behind any fit, as fits need.
     */
    static float[] forward(ai.djl.Model model, float[] normalised, int n, int length, int p) {
        if ((long) n * length <= SINGLE_THREAD_ROWS) {
            return forwardHere(model, normalised, n, length, p);
        }
        return TorchThread.call(() -> forwardHere(model, normalised, n, length, p));
    }

    private static float[] forwardHere(ai.djl.Model model, float[] normalised, int n, int length, int p) {
        // No autograd bookkeeping for a prediction (the parameters require gradients: every operation
        // would record a graph nobody reads). Grad mode is the calling thread's: turned off here and
        // restored for a fit that scores its validation set with gradients on.
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray in = tensor(m, normalised, new Shape(n, length, p));
            NDArray out = model.getBlock().forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
            return out.toFloatArray();
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * A tensor holding a copy of {@code values} in memory PyTorch allocated itself. {@code create}
     * alone wraps a Java direct buffer, whose address is only 16-byte aligned and differs from call
     * to call; PyTorch's vectorised CPU kernels then take alignment-dependent paths, and a refit
     * could differ from the fit in the last bits. The copy is aligned like every other tensor.
     */
    static NDArray tensor(NDManager m, float[] values, Shape shape) {
        ByteBuffer staging = STAGING.get().fit(values.length * Float.BYTES);
        staging.asFloatBuffer().put(values);
        try (NDArray wrapped = m.create(staging, shape, DataType.FLOAT32)) {
            return wrapped.duplicate();
        }
    }

    /**
     * Each thread's direct buffer for {@link #tensor}, reused: {@code create(float[])} allocates a
     * direct buffer per call, freed only when a GC finds it, and a bar's forward pass allocates so
     * little else that hundreds of megabytes of them waited outside the heap for a collection.
     * Safe to reuse as soon as the copy is made.
     */
    private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

    private static final class Staging {
        private ByteBuffer buffer = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());

        /** The buffer, at least {@code bytes} long, its position 0 and limit {@code bytes}. */
        ByteBuffer fit(int bytes) {
            if (buffer.capacity() < bytes) {
                buffer = ByteBuffer.allocateDirect(Math.max(bytes, 2 * buffer.capacity())).order(ByteOrder.nativeOrder());
            }
            buffer.clear().limit(bytes);
            return buffer;
        }
    }

    static double sigmoid(float z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    @Override
    public synchronized List<String> writeFiles(Path dir) {
        checkOpen();
        try {
            model.save(dir, PARAMS);
            Json.MAPPER.writeValue(dir.resolve(NORMALISATION).toFile(), normalisation);
            List<String> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.map(f -> f.getFileName().toString()).sorted().forEach(files::add);
            }
            return files;
        } catch (IOException e) {
            throw new ForesailException("cannot save " + card().type() + " model to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void release() {
        model.close();
    }

    /**
     * A sequence-network model type: artifacts are read by rebuilding the network from the card's
     * hyperparameters, then loading its parameters.
     */
    abstract static class Type implements ModelType {
        private final SequenceNetwork network;

        Type(SequenceNetwork network) {
            this.network = network;
        }

        @Override
        public String type() {
            return network.type();
        }

        @Override
        public java.util.Optional<Trainer> trainer() {
            return java.util.Optional.of(new SequenceNetTrainer(network));
        }

        @Override
        public Model load(Path dir, ModelCard card) {
            var h = new io.foresail.models.Hyperparameters(card.hyperparameters());
            return TorchThread.call(() -> {
                ai.djl.Model m = ai.djl.Model.newInstance(network.type());
                try {
                    Normalisation n = Json.MAPPER.readValue(dir.resolve(NORMALISATION).toFile(), Normalisation.class);
                    m.setBlock(network.build(h));
                    // Initialise with the input shape before loading: a block that only had its
                    // parameters loaded knows no input shape, and DJL cannot save it again.
                    m.getBlock().initialize(m.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                            new Shape(1, card.sequenceLength(), n.width()));
                    m.load(dir, PARAMS);
                    return new SequenceNetModel(card, m, n);
                } catch (IOException | MalformedModelException e) {
                    m.close();
                    throw new ForesailException("cannot load " + network.type() + " model from " + dir + ": " + e.getMessage(), e);
                }
            });
        }
    }

    /** The {@code lstm} model type. */
    public static final class Lstm extends Type {
        public Lstm() {
            super(SequenceNetwork.LSTM_NET);
        }
    }

    /** The {@code transformer} model type. */
    public static final class Transformer extends Type {
        public Transformer() {
            super(SequenceNetwork.TRANSFORMER_NET);
        }
    }
}
