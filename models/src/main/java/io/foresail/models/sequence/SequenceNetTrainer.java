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


    private final SequenceNetwork network;
    private final SearchSpace space;

    private SequenceNetTrainer(SequenceNetwork network) {
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
        Hyperparameters h = r.hyperparameters();
        SequenceWindows w = r.windows();
        int length = w.length();
        int p = w.pool().cols();
        int batch = h.getInt("batch_size");
        boolean classifier = r.task() == Task.CLASSIFICATION;
        SequenceNetModel.Normalisation norm = normalisation(w.pool(), r.trainSamples());
        // The engine loads PyTorch's native library; only then can its thread count be pinned.
        Engine engine = Engine.getInstance();
        JniUtils.setNumThreads(r.threads());
        engine.setRandomSeed((int) r.seed());
        ai.djl.Model model = ai.djl.Model.newInstance(network.type());
        Path best = null;
        try {
            best = Files.createTempDirectory("foresail-lstm");
            model.setBlock(network.build(h));
            Loss loss = classifier ? Loss.sigmoidBinaryCrossEntropyLoss() : Loss.l2Loss();
            Optimizer adamW = Optimizer.adamW()
                    .optLearningRateTracker(Tracker.fixed((float) h.getDouble("learning_rate")))
                    .optWeightDecays((float) h.getDouble("weight_decay"))
                    .optClipGrad((float) h.getDouble("clip_gradient"))
                    .build();
            double bestLoss = Double.POSITIVE_INFINITY;
            int bestEpoch = -1;
            int epochs = 0;
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adamW))) {
                trainer.initialize(new Shape(batch, length, p));
                int n = r.trainSamples().length;
                int[] order = new int[n];
                SplittableRandom random = new SplittableRandom(r.seed());
                float[] x = new float[batch * length * p];
                for (int epoch = 0; epoch < h.getInt("epochs"); epoch++) {
                    for (int i = 0; i < n; i++) {
                        order[i] = i;
                    }
                    for (int i = n - 1; i > 0; i--) {
                        int j = random.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    int[] samples = new int[batch];
                    float[] y = new float[batch];
                    for (int from = 0; from < n; from += batch) {
                        int m = Math.min(batch, n - from);
                        for (int i = 0; i < m; i++) {
                            samples[i] = r.trainSamples()[order[from + i]];
                            y[i] = r.trainLabels()[order[from + i]];
                        }
                        w.gather(samples, 0, m, x);
                        float[] xs = m == batch ? x : java.util.Arrays.copyOf(x, m * length * p);
                        norm.apply(xs, p);
                        try (NDManager bm = trainer.getManager().newSubManager()) {
                            NDArray in = SequenceNetModel.tensor(bm, xs, new Shape(m, length, p));
                            NDArray label = SequenceNetModel.tensor(bm, java.util.Arrays.copyOf(y, m), new Shape(m, 1));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray out = trainer.forward(new NDList(in)).singletonOrThrow();
                                gc.backward(loss.evaluate(new NDList(label), new NDList(out)));
                            }
                            trainer.step();
                        }
                    }
                    epochs = epoch + 1;
                    double validation = validationLoss(model, w, norm, r, classifier);
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
            ModelCard card = new ModelCard(ModelCard.FORMAT, network.type(), r.task(), r.featureSetId(), r.features(),
                    length, r.target(), h.values(), r.trainFrom(), r.trainTo(), Map.of(), r.seed(), r.threads(),
                    List.of(), Map.of("best_epoch", Integer.toString(bestEpoch + 1), "epochs_run", Integer.toString(epochs),
                    "library", "djl 0.35.1 / pytorch 2.7.1 cpu"));
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

    private static double validationLoss(ai.djl.Model model, SequenceWindows w, SequenceNetModel.Normalisation norm,
                                         SequenceFitRequest r, boolean classifier) {
        int length = w.length();
        int p = w.pool().cols();
        int n = r.validationSamples().length;
        double sum = 0;
        int chunk = 1024;
        float[] x = new float[chunk * length * p];
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            w.gather(r.validationSamples(), from, from + m, x);
            float[] xs = java.util.Arrays.copyOf(x, m * length * p);
            norm.apply(xs, p);
            float[] out = SequenceNetModel.forward(model, xs, m, length, p);
            for (int i = 0; i < m; i++) {
                double yv = r.validationLabels()[from + i];
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

    /** Mean and 1/deviation of each feature over the training samples' rows (NaN skipped). */
    static SequenceNetModel.Normalisation normalisation(FeatureMatrix pool, int[] samples) {
        int p = pool.cols();
        double[] sum = new double[p];
        double[] sq = new double[p];
        int[] count = new int[p];
        for (int s : samples) {
            for (int j = 0; j < p; j++) {
                float v = pool.get(s, j);
                if (!Float.isNaN(v)) {
                    sum[j] += v;
                    sq[j] += (double) v * v;
                    count[j]++;
                }
            }
        }
        float[] mean = new float[p];
        float[] scale = new float[p];
        for (int j = 0; j < p; j++) {
            if (count[j] > 1) {
                double mu = sum[j] / count[j];
                double var = (sq[j] - count[j] * mu * mu) / (count[j] - 1);
                mean[j] = (float) mu;
                scale[j] = var > 0 ? (float) (1 / Math.sqrt(var)) : 0f;
            }
        }
        return new SequenceNetModel.Normalisation(mean, scale);
    }

    @Override
    public String toString() {
        return network.type();
    }
}
