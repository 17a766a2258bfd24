package io.foresail.pipelines.bench;

import io.foresail.core.io.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitRequest;
import io.foresail.models.Hyperparameters;
import io.foresail.models.Model;
import io.foresail.models.ModelTrainer;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.gbm.XGBoostTrainer;
import io.foresail.registry.python.PythonEnv;
import io.foresail.training.data.Dataset;
import io.foresail.training.run.TrainingRun;
import io.foresail.training.split.Fold;
import io.foresail.training.split.WalkForwardSplit;
import io.foresail.models.FitProvenance;
import io.foresail.models.ModelTypes;

import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training benchmark on a feature set: fit throughput per model type (training rows per
 * second, fixed rounds, no early stopping), XGBoost4J against Python {@code xgboost} on the same
 * matrix, parameters and threads in one run, and single-bar inference latency (a batch of one
 * bar's symbols) per model, p50 and p99. Prints {@code name: value} lines.
 */
public final class TrainingBenchmark {
    private static final int ROUNDS = 100;

    private final Path features;
    private final Path work;
    private final int runs;
    private final int trainMonths;
    private final boolean python;

    public TrainingBenchmark(Path features, Path work, int runs, int trainMonths, boolean python) {
        this.features = features;
        this.work = work;
        this.runs = Math.max(1, runs);
        this.trainMonths = trainMonths;
        this.python = python;
    }

    public void run(PrintWriter out) throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "cores: %d%n", cores);
        long t0 = System.nanoTime();
        Dataset data = Dataset.load(features);
        out.printf(Locale.ROOT, "dataset_load_s: %.1f (%d rows x %d features)%n", (System.nanoTime() - t0) / 1e9,
                data.rows(), data.features().size());
        Fold fold = new WalkForwardSplit(WalkForwardSplit.Mode.ROLLING, trainMonths, 2, 1, 1, 26, 0).folds(data.times()).get(0);
        String target = "label_fwd_1_excess";
        TrainingData train = TrainingRun.trainingData(data, fold.train(), data.label(target));
        TrainingData validation = TrainingRun.trainingData(data, fold.validation(), data.label(target));
        out.printf(Locale.ROOT, "train_rows: %d (%d months), validation_rows: %d, threads: %d, gbm_rounds: %d%n",
                train.rows(), trainMonths, validation.rows(), cores, ROUNDS);
        out.flush();

        Map<String, Model> fitted = new LinkedHashMap<>();
        try {
            for (io.foresail.models.Trainer any : ModelTypes.trainers().values()) {
                if (any instanceof io.foresail.models.sequence.SequenceTrainer st) {
                    sequence(data, fold, st, cores, fitted, out);
                    continue;
                }
                ModelTrainer t = (ModelTrainer) any;
                Map<String, Object> fixed = t.type().equals("ridge") ? Map.of()
                        : Map.of("rounds", ROUNDS, "early_stopping_rounds", ROUNDS);
                Hyperparameters h = t.searchSpace().withOverrides(fixed);
                FitRequest req = new FitRequest(train, validation, new FitProvenance(Task.REGRESSION, h, data.features(), target,
                        data.featureSetId(), "", "", 42, cores));
                double[] secs = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long s = System.nanoTime();
                    Model m = t.fit(req);
                    secs[i] = (System.nanoTime() - s) / 1e9;
                    Model previous = fitted.put(t.type(), m);
                    if (previous != null) {
                        previous.close();
                    }
                }
                double fit = median(secs);
                out.printf(Locale.ROOT, "train_%s_fit_s: %.2f%n", t.type(), fit);
                out.printf(Locale.ROOT, "train_%s_rows_per_s: %.0f%n", t.type(), train.rows() / fit);
                out.flush();
            }
            xgboostPeer(train, cores, out);
            latency(data, fold, fitted, out);
        } finally {
            fitted.values().forEach(Model::close);
        }
    }

    /**
     * A sequence model's throughput: training samples (windows of 16 bars) per second over two
     * epochs on the first 50,000 training samples, defaults otherwise.
     */
    private void sequence(Dataset data, Fold fold, io.foresail.models.sequence.SequenceTrainer t, int cores,
                          Map<String, Model> fitted, PrintWriter out) {
        int length = 16;
        io.foresail.models.sequence.SequenceWindows w = data.windows(length);
        double[] y = data.label("label_fwd_1_excess");
        int[] train = java.util.stream.IntStream.range(data.firstRowOfBar(fold.train().from()), data.firstRowOfBar(fold.train().to()))
                .filter(i -> Double.isFinite(y[i]) && w.complete(i)).limit(50_000).toArray();
        int[] validation = java.util.stream.IntStream.range(data.firstRowOfBar(fold.validation().from()),
                data.firstRowOfBar(fold.validation().to())).filter(i -> Double.isFinite(y[i]) && w.complete(i)).limit(10_000).toArray();
        float[] ty = new float[train.length];
        for (int i = 0; i < train.length; i++) {
            ty[i] = (float) y[train[i]];
        }
        float[] vy = new float[validation.length];
        for (int i = 0; i < validation.length; i++) {
            vy[i] = (float) y[validation[i]];
        }
        Hyperparameters h = t.searchSpace().withOverrides(Map.of("epochs", 2, "patience", 2));
        long s = System.nanoTime();
        Model m = t.fit(new io.foresail.models.sequence.SequenceFitRequest(w, train, ty, validation, vy,
                new FitProvenance(Task.REGRESSION, h, data.features(), "label_fwd_1_excess", data.featureSetId(), "", "", 42, cores)));
        double secs = (System.nanoTime() - s) / 1e9;
        fitted.put(t.type(), m);
        out.printf(Locale.ROOT, "train_%s_fit_s: %.2f (2 epochs, %d samples, window %d)%n", t.type(), secs, train.length, length);
        out.printf(Locale.ROOT, "train_%s_samples_per_s: %.0f%n", t.type(), 2.0 * train.length / secs);
        out.flush();
    }

    /** XGBoost4J vs Python xgboost: DMatrix build + 100 rounds, no evaluation set, same parameters. */
    private void xgboostPeer(TrainingData train, int cores, PrintWriter out) throws IOException {
        Hyperparameters h = new XGBoostTrainer().searchSpace().defaults();
        Map<String, Object> params = XGBoostTrainer.params(h, Task.REGRESSION, 42, cores);
        double[] secs = new double[runs];
        try {
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime();
                XGBoostTrainer.trainAndDiscard(train, params, ROUNDS);
                secs[i] = (System.nanoTime() - s) / 1e9;
            }
        } catch (ml.dmlc.xgboost4j.java.XGBoostError e) {
            throw new IllegalStateException(e);
        }
        double java = median(secs);
        out.printf(Locale.ROOT, "java_xgboost_fit_s: %.3f%n", java);
        out.flush();
        if (!python) {
            return;
        }
        Path dir = Files.createDirectories(work.resolve("xgboost-peer"));
        writeFloats(dir.resolve("x.f32"), train.x().values());
        writeFloats(dir.resolve("y.f32"), train.y());
        Files.writeString(dir.resolve("shape.txt"), train.rows() + " " + train.x().cols());
        Map<String, Object> spec = new LinkedHashMap<>(params);
        spec.put("rounds", ROUNDS);
        spec.put("runs", runs);
        Json.MAPPER.writeValue(dir.resolve("params.json").toFile(), spec);
        PythonEnv env = PythonEnv.ensure(work.resolve("venv-bench"), "foresail/python/bench-requirements.txt");
        Path script = PythonEnv.script("foresail/python/xgboost_bench.py", dir.resolve("xgboost_bench.py"));
        String result = PythonEnv.exec(List.of(env.python().toString(), script.toString(), dir.toString()), dir, 3600);
        out.print(result);
        double py = Double.parseDouble(result.lines().filter(l -> l.startsWith("python_xgboost_fit_s:"))
                .findFirst().orElseThrow().split(":")[1].trim());
        out.printf(Locale.ROOT, "java_over_python_xgboost: %.3f (goal: within 1.1)%n", java / py);
        out.flush();
    }

    /** One bar's batch (the universe at one time) predicted over and over. */
    private void latency(Dataset data, Fold fold, Map<String, Model> models, PrintWriter out) {
        int from = data.firstRowOfBar(fold.validation().from());
        int to = data.firstRowOfBar(fold.validation().from() + 1);
        FeatureMatrix rows = data.x().rows(from, to);
        for (Map.Entry<String, Model> e : models.entrySet()) {
            int length = e.getValue().card().sequenceLength();
            FeatureMatrix batch = length > 0
                    ? data.windows(length).windows(java.util.stream.IntStream.range(from, to).toArray()) : rows;
            int n = 3000;
            long[] nanos = new long[n];
            for (int i = 0; i < 500; i++) {
                e.getValue().predict(batch);
            }
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                e.getValue().predict(batch);
                nanos[i] = System.nanoTime() - s;
            }
            Arrays.sort(nanos);
            out.printf(Locale.ROOT, "predict_%s_%drows_us_p50: %.1f%n", e.getKey(), rows.rows(), nanos[n / 2] / 1e3);
            out.printf(Locale.ROOT, "predict_%s_%drows_us_p99: %.1f%n", e.getKey(), rows.rows(), nanos[(int) (n * 0.99)] / 1e3);
        }
        out.flush();
    }

    private static void writeFloats(Path file, float[] v) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (int i = 0; i < v.length; ) {
                buf.clear();
                while (buf.remaining() >= 4 && i < v.length) {
                    buf.putFloat(v[i++]);
                }
                o.write(buf.array(), 0, buf.position());
            }
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
