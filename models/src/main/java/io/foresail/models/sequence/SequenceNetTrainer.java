package io.foresail.models.sequence;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.foresail.core.error.ForesailException;
import io.foresail.core.io.Directories;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Hyperparameters;
import io.foresail.models.ModelCard;
import io.foresail.models.SearchSpace;
import io.foresail.models.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fits a {@link SequenceNetModel} ({@link #lstm()} or {@link #transformer()}): AdamW with weight decay, gradient clipping, mini-batches in a seeded
 * shuffle, and early stopping on the validation loss (the best epoch's parameters are kept).
 * Squared error for regression; logistic loss on a logit for the direction class. Deterministic
 * for a seed and thread count (PyTorch's CPU kernels with a fixed thread count).
 *
 * <p>PyTorch's random generator and thread count are process-wide, so fits in one JVM run one at a
 * time, on the one PyTorch thread ({@link TorchThread}).
 */
public final class SequenceNetTrainer implements SequenceTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SequenceNetTrainer.class);
    /** Standard scores of inputs and of a regression target are clipped to +-CLIP. */
    static final double CLIP = 5.0;


    private final SequenceNetwork network;
    private final SearchSpace space;

    SequenceNetTrainer(SequenceNetwork network) {
        this.network = network;
        this.space = network.space();
    }

    /** Stacked LSTM. */
    public static SequenceNetTrainer lstm() {
        return new SequenceNetTrainer(SequenceNetwork.LSTM_NET);
    }

    /** Pre-norm Transformer encoder. */
    public static SequenceNetTrainer transformer() {
        return new SequenceNetTrainer(SequenceNetwork.TRANSFORMER_NET);
    }

    @Override
    public String type() {
        return network.type();
    }

    @Override
    public SearchSpace searchSpace() {
        return space;
    }

    @Override
    public SequenceNetModel fit(SequenceFitRequest r) {
        return TorchThread.call(() -> fitAlone(r));
    }

    private SequenceNetModel fitAlone(SequenceFitRequest r) {
        long started = System.nanoTime();
        Hyperparameters h = r.hyperparameters();
        SequenceWindows w = r.windows();
        int length = w.length();
        int p = w.pool().cols();
        int batch = h.getInt("batch_size");
        boolean classifier = r.task() == Task.CLASSIFICATION;
        // The training budget: a seeded sample of the fold's windows, and the inputs that carry the
        // most signal on the training rows. Both use training rows only, so nothing looks ahead.
        Budget budget = Budget.of(r, h);
        int[] trainSamples = Budget.take(r.trainSamples(), budget.train());
        float[] trainLabels = Budget.take(r.trainLabels(), budget.train());
        int[] validationSamples = Budget.take(r.validationSamples(), budget.validation());
        float[] validationLabels = Budget.take(r.validationLabels(), budget.validation());
        // A return target's deviation is about 1e-3: the network learns it as a standard score, far
        // from the scale of its initial outputs, and predicts back in the target's units.
        SequenceNetModel.Normalisation norm = normalisation(w.pool(), trainSamples, budget.inputs(),
                classifier ? null : trainLabels);
        trainLabels = standardise(trainLabels, norm);
        validationLabels = standardise(validationLabels, norm);
        int k = norm.width();
        // The engine loads PyTorch's native library; only then can its thread count be pinned.
        Engine engine = Engine.getInstance();
        JniUtils.setNumThreads(r.threads());
        engine.setRandomSeed((int) r.seed());
        ai.djl.Model model = ai.djl.Model.newInstance(network.type());
        Path best = null;
        try {
            best = Files.createTempDirectory("foresail-" + network.type());
            model.setBlock(network.build(h));
            Loss loss = classifier ? Loss.sigmoidBinaryCrossEntropyLoss() : Loss.l2Loss();
            Optimizer adamW = Optimizer.adamW()
                    .optLearningRateTracker(Tracker.fixed((float) h.getDouble("learning_rate")))
                    .optWeightDecays((float) h.getDouble("weight_decay"))
                    .optClipGrad((float) h.getDouble("clip_gradient"))
                    .build();
            double bestLoss = Double.POSITIVE_INFINITY;
            List<Double> epochSeconds = new java.util.ArrayList<>();
            int bestEpoch = -1;
            int epochs = 0;
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adamW))) {
                trainer.initialize(new Shape(batch, length, k));
                int n = trainSamples.length;
                int[] order = new int[n];
                SplittableRandom random = new SplittableRandom(r.seed());
                int[] columns = norm.inputColumns(p);
                float[] x = new float[batch * length * k];
                int[] samples = new int[batch];
                float[] y = new float[batch];
                for (int epoch = 0; epoch < h.getInt("epochs"); epoch++) {
                    long epochStart = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        order[i] = i;
                    }
                    for (int i = n - 1; i > 0; i--) {
                        int j = random.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    for (int from = 0; from < n; from += batch) {
                        int m = Math.min(batch, n - from);
                        for (int i = 0; i < m; i++) {
                            samples[i] = trainSamples[order[from + i]];
                            y[i] = trainLabels[order[from + i]];
                        }
                        float[] xs = m == batch ? x : new float[m * length * k];
                        w.gather(samples, 0, m, columns, xs);
                        norm.applyNarrowed(xs, m * length);
                        try (NDManager bm = trainer.getManager().newSubManager()) {
                            NDArray in = SequenceNetModel.tensor(bm, xs, new Shape(m, length, k));
                            NDArray label = SequenceNetModel.tensor(bm, java.util.Arrays.copyOf(y, m), new Shape(m, 1));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray out = trainer.forward(new NDList(in)).singletonOrThrow();
                                gc.backward(loss.evaluate(new NDList(label), new NDList(out)));
                            }
                            trainer.step();
                        }
                    }
                    epochSeconds.add((System.nanoTime() - epochStart) / 1e9);
                    epochs = epoch + 1;
                    double validation = validationLoss(model, w, norm, validationSamples, validationLabels, classifier);
                    LOG.debug("{} epoch {}: validation loss {}", network.type(), epoch, validation);
                    if (validation < bestLoss) {
                        bestLoss = validation;
                        bestEpoch = epoch;
                        model.save(best, "best");
                    } else if (epoch - bestEpoch >= h.getInt("patience")) {
                        break;
                    }
                }
            }
            model.load(best, "best");
            Map<String, String> attributes = new java.util.LinkedHashMap<>();
            attributes.put("best_epoch", Integer.toString(bestEpoch + 1));
            attributes.put("epochs_run", Integer.toString(epochs));
            attributes.put("train_samples", trainSamples.length + " of " + r.trainSamples().length);
            attributes.put("validation_samples", validationSamples.length + " of " + r.validationSamples().length);
            attributes.put("inputs", k + " of " + p);
            attributes.put("input_features", String.join(",", java.util.Arrays.stream(budget.inputs())
                    .mapToObj(r.features()::get).toList()));
            attributes.put("fit_seconds", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
            // The training passes alone (no validation, no checkpoint), median over epochs: the figure
            // to compare with another framework's epoch.
            attributes.put("epoch_seconds", String.format(java.util.Locale.ROOT, "%.3f", median(epochSeconds)));
            attributes.put("library", "djl 0.35.1 / pytorch 2.7.1 cpu");
            ModelCard card = r.provenance().card(network.type(), length, attributes);
            LOG.info("{} fit: {} training windows of {}, {} inputs of {}, best epoch {} of {}, {} s", network.type(),
                    trainSamples.length, r.trainSamples().length, k, p, bestEpoch + 1, epochs, attributes.get("fit_seconds"));
            return new SequenceNetModel(card, model, norm);
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            model.close();
            if (e instanceof RuntimeException re && !(e instanceof ai.djl.engine.EngineException)) {
                throw re;
            }
            throw new ForesailException(network.type() + " training failed: " + e.getMessage(), e);
        } finally {
            Directories.deleteQuietly(best);
        }
    }

    private static double median(List<Double> v) {
        List<Double> sorted = v.stream().sorted().toList();
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }

    /**
     * A fit's budget: which training and validation samples it uses (positions into the request's
     * arrays, ascending) and which feature columns it reads.
     *
     * <p>{@code max_train_samples} and {@code max_validation_samples} cap the windows by a seeded
     * uniform sample (0 = all). {@code input_features} keeps the columns with the largest absolute
     * rank correlation between the window's newest bar and the label over (a sample of) the
     * training windows (0 = all columns); ties go to the earlier column.
     */
    record Budget(int[] train, int[] validation, int[] inputs) {
        private static final int SCREEN_SAMPLES = 20_000;

        static Budget of(SequenceFitRequest r, Hyperparameters h) {
            SplittableRandom random = new SplittableRandom(r.seed() * 31 + 7);
            int[] train = sample(r.trainSamples().length, h.getInt("max_train_samples"), random);
            int[] validation = sample(r.validationSamples().length, h.getInt("max_validation_samples"), random);
            int[] screened = sample(train.length, SCREEN_SAMPLES, random);
            int[] rows = new int[screened.length];
            double[] label = new double[screened.length];
            for (int i = 0; i < screened.length; i++) {
                rows[i] = r.trainSamples()[train[screened[i]]];
                label[i] = r.trainLabels()[train[screened[i]]];
            }
            return new Budget(train, validation, strongestInputs(r.windows().pool(), rows, label, h.getInt("input_features")));
        }

        static int[] take(int[] values, int[] positions) {
            int[] out = new int[positions.length];
            for (int i = 0; i < positions.length; i++) {
                out[i] = values[positions[i]];
            }
            return out;
        }

        static float[] take(float[] values, int[] positions) {
            float[] out = new float[positions.length];
            for (int i = 0; i < positions.length; i++) {
                out[i] = values[positions[i]];
            }
            return out;
        }

        /** {@code max} of {@code 0..n-1} drawn without replacement, ascending; all of them when {@code max} is 0 or covers n. */
        static int[] sample(int n, int max, SplittableRandom random) {
            if (max <= 0 || max >= n) {
                return java.util.stream.IntStream.range(0, n).toArray();
            }
            int[] all = java.util.stream.IntStream.range(0, n).toArray();
            for (int i = 0; i < max; i++) {
                int j = i + random.nextInt(n - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            int[] out = java.util.Arrays.copyOf(all, max);
            java.util.Arrays.sort(out);
            return out;
        }

        static int[] strongestInputs(FeatureMatrix pool, int[] rows, double[] label, int k) {
            int p = pool.cols();
            if (k <= 0 || k >= p) {
                return java.util.stream.IntStream.range(0, p).toArray();
            }
            double[] strength = new double[p];
            double[] x = new double[rows.length];
            double[] y = new double[rows.length];
            for (int j = 0; j < p; j++) {
                int n = 0;
                for (int i = 0; i < rows.length; i++) {
                    float v = pool.get(rows[i], j);
                    if (!Float.isNaN(v) && Double.isFinite(label[i])) {
                        x[n] = v;
                        y[n] = label[i];
                        n++;
                    }
                }
                double rho = n > 2 ? io.foresail.core.stats.Correlation.spearman(x, y, n) : Double.NaN;
                strength[j] = Double.isFinite(rho) ? Math.abs(rho) : -1;
            }
            Integer[] order = java.util.stream.IntStream.range(0, p).boxed().toArray(Integer[]::new);
            java.util.Arrays.sort(order, (a, b) -> strength[a] != strength[b] ? Double.compare(strength[b], strength[a])
                    : Integer.compare(a, b));
            int[] chosen = new int[k];
            for (int i = 0; i < k; i++) {
                chosen[i] = order[i];
            }
            java.util.Arrays.sort(chosen);
            return chosen;
        }
    }

    private static double validationLoss(ai.djl.Model model, SequenceWindows w, SequenceNetModel.Normalisation norm,
                                         int[] samples, float[] labels, boolean classifier) {
        int length = w.length();
        int p = w.pool().cols();
        int k = norm.width();
        int n = samples.length;
        double sum = 0;
        int chunk = 1024;
        int[] columns = norm.inputColumns(p);
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            float[] xs = new float[m * length * k];
            w.gather(samples, from, from + m, columns, xs);
            norm.applyNarrowed(xs, m * length);
            float[] out = SequenceNetModel.forward(model, xs, m, length, k);
            for (int i = 0; i < m; i++) {
                double yv = labels[from + i];
                if (classifier) {
                    double q = Math.min(1 - 1e-12, Math.max(1e-12, SequenceNetModel.sigmoid(out[i])));
                    sum -= yv > 0.5 ? Math.log(q) : Math.log(1 - q);
                } else {
                    double e = out[i] - yv;
                    sum += e * e;
                }
            }
        }
        return sum / n;
    }

    private static float[] standardise(float[] labels, SequenceNetModel.Normalisation norm) {
        if (norm.labelScale() == null) {
            return labels;
        }
        float[] out = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            // Winsorised like the inputs: a few extreme returns must not decide a squared-error fit.
            double z = (labels[i] - norm.labelMean()) / norm.labelScale();
            out[i] = (float) Math.max(-CLIP, Math.min(CLIP, z));
        }
        return out;
    }

    /**
     * Mean and 1/deviation of each chosen column over the training samples' rows (NaN skipped), and
     * the mean and deviation of the regression {@code labels} (null for a classifier).
     */
    static SequenceNetModel.Normalisation normalisation(FeatureMatrix pool, int[] samples, int[] columns, float[] labels) {
        int k = columns.length;
        double[] sum = new double[k];
        double[] sq = new double[k];
        int[] count = new int[k];
        for (int s : samples) {
            for (int j = 0; j < k; j++) {
                float v = pool.get(s, columns[j]);
                if (!Float.isNaN(v)) {
                    sum[j] += v;
                    sq[j] += (double) v * v;
                    count[j]++;
                }
            }
        }
        float[] mean = new float[k];
        float[] scale = new float[k];
        for (int j = 0; j < k; j++) {
            if (count[j] > 1) {
                double mu = sum[j] / count[j];
                double var = (sq[j] - count[j] * mu * mu) / (count[j] - 1);
                mean[j] = (float) mu;
                scale[j] = var > 0 ? (float) (1 / Math.sqrt(var)) : 0f;
            }
        }
        Double labelMean = null;
        Double labelScale = null;
        if (labels != null && labels.length > 1) {
            double m = 0;
            for (float v : labels) {
                m += v;
            }
            m /= labels.length;
            double ss = 0;
            for (float v : labels) {
                ss += (v - m) * (v - m);
            }
            double sd = Math.sqrt(ss / (labels.length - 1));
            if (sd > 0 && Double.isFinite(sd)) {
                labelMean = m;
                labelScale = sd;
            }
        }
        return new SequenceNetModel.Normalisation(columns.clone(), mean, scale, labelMean, labelScale, CLIP);
    }

    @Override
    public String toString() {
        return network.type();
    }
}
