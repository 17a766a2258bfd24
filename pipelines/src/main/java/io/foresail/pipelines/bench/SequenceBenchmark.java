package io.foresail.pipelines.bench;

import io.foresail.registry.python.PythonEnv;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Hyperparameters;
import io.foresail.models.Model;
import io.foresail.models.Task;
import io.foresail.models.sequence.SequenceFitRequest;
import io.foresail.models.sequence.SequenceNetTrainer;
import io.foresail.models.sequence.SequenceWindows;
import io.foresail.models.FitProvenance;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The sequence models' training speed, DJL against PyTorch's own training step in one run: the same
 * network (LSTM, Transformer encoder), batch, threads, optimiser, loss and data shapes (a pool of
 * {@code rows} random bars of {@code features} values, windows of 16 gathered per batch), timed per
 * epoch (training passes only, median over epochs). Then the default training budget (inputs kept,
 * windows sampled) for the samples/s a default fit reaches. Prints {@code name: value} lines.
 */
public final class SequenceBenchmark {
    private static final int LENGTH = 16;
    private static final int SYMBOLS = 50;

    private final Path work;
    private final int features;
    private final int samples;
    private final int batch;
    private final int epochs;
    private final boolean python;

    public SequenceBenchmark(Path work, int features, int samples, int batch, int epochs, boolean python) {
        this.work = work;
        this.features = features;
        this.samples = samples;
        this.batch = batch;
        this.epochs = Math.max(2, epochs);
        this.python = python;
    }

    public void run(PrintWriter out) throws IOException {
        int threads = Runtime.getRuntime().availableProcessors();
        int rows = SYMBOLS * (samples / SYMBOLS * 3 + LENGTH);
        out.printf(Locale.ROOT, "cores: %d%nthreads: %d%nrows: %d%nfeatures: %d%nwindow: %d%nsamples: %d%nbatch: %d%nepochs: %d%n",
                threads, threads, rows, features, LENGTH, samples, batch, epochs);
        out.flush();
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[rows * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] symbol = IntStream.range(0, rows).map(i -> i % SYMBOLS).toArray();
        float[] labels = new float[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = (float) r.nextGaussian();
        }
        SequenceWindows w = new SequenceWindows(new FeatureMatrix(x, rows, features), SequenceWindows.links(symbol, SYMBOLS), LENGTH);
        int[] complete = IntStream.range(0, rows).filter(w::complete).toArray();
        int[] train = IntStream.range(0, samples).map(i -> complete[i * (complete.length / samples)]).toArray();
        int[] validation = IntStream.range(0, 2000).map(i -> complete[complete.length - 1 - i * 3]).sorted().toArray();
        List<String> names = IntStream.range(0, features).mapToObj(j -> "f" + j).toList();

        Map<String, Double> djl = new HashMap<>();
        for (SequenceNetTrainer t : List.of(SequenceNetTrainer.lstm(), SequenceNetTrainer.transformer())) {
            // Every window, every input: exactly the work PyTorch's loop below does.
            Map<String, Object> full = Map.of("epochs", epochs, "patience", epochs, "batch_size", batch,
                    "input_features", 0, "max_train_samples", 0, "max_validation_samples", 0);
            double epoch = epochSeconds(t, w, train, validation, labels, names, t.searchSpace().withOverrides(full), threads);
            djl.put(t.type(), epoch);
            out.printf(Locale.ROOT, "djl_%s_epoch_s: %.3f%ndjl_%s_samples_per_s: %.0f%n", t.type(), epoch, t.type(), samples / epoch);
            // The default budget: the inputs with the most signal and larger batches, as training fits them.
            Hyperparameters defaults = t.searchSpace().withOverrides(Map.of("epochs", epochs, "patience", epochs,
                    "max_train_samples", 0, "max_validation_samples", 0));
            double budgeted = epochSeconds(t, w, train, validation, labels, names, defaults, threads);
            out.printf(Locale.ROOT, "djl_%s_default_budget_samples_per_s: %.0f (%d inputs, batch %d)%n", t.type(),
                    samples / budgeted, defaults.getInt("input_features"), defaults.getInt("batch_size"));
            out.flush();
        }
        if (!python) {
            return;
        }
        Files.createDirectories(work);
        PythonEnv env = PythonEnv.ensure(work.resolve("venv-torch"), "foresail/python/torch-requirements.txt");
        Path script = PythonEnv.script("foresail/python/sequence_peer.py", work.resolve("sequence_peer.py"));
        for (SequenceNetTrainer t : List.of(SequenceNetTrainer.lstm(), SequenceNetTrainer.transformer())) {
            Hyperparameters h = t.searchSpace().defaults();
            List<String> cmd = new ArrayList<>(List.of(env.python().toString(), script.toString(), t.type(),
                    Integer.toString(rows), Integer.toString(features), Integer.toString(LENGTH), Integer.toString(samples),
                    Integer.toString(batch), Integer.toString(epochs), Integer.toString(threads)));
            h.values().forEach((k, v) -> cmd.add(k + "=" + v));
            String result = PythonEnv.exec(cmd, work, 3600);
            out.print(result);
            double torch = Double.NaN;
            for (String line : result.split("\n")) {
                if (line.startsWith("torch_" + t.type() + "_epoch_s:")) {
                    torch = Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            out.printf(Locale.ROOT, "djl_over_torch_%s_epoch: %.2f (goal <= 1.20)%n", t.type(), djl.get(t.type()) / torch);
            out.flush();
        }
    }

    private static double epochSeconds(SequenceNetTrainer t, SequenceWindows w, int[] train, int[] validation,
                                       float[] labels, List<String> names, Hyperparameters h, int threads) {
        SequenceFitRequest fit = new SequenceFitRequest(w, train, take(labels, train), validation, take(labels, validation), new FitProvenance(Task.REGRESSION, h, names, "label", "bench", null, null, 3, threads));
        try (Model m = t.fit(fit)) {
            return Double.parseDouble(m.card().attributes().get("epoch_seconds"));
        }
    }

    private static float[] take(float[] y, int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }
}
