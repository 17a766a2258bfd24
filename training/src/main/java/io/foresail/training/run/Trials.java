package io.foresail.training.run;

import io.foresail.core.error.ForesailException;
import io.foresail.core.io.Directories;
import io.foresail.models.FitRequest;
import io.foresail.models.Hyperparameters;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelTrainer;
import io.foresail.models.Trainer;
import io.foresail.models.sequence.SequenceFitRequest;
import io.foresail.models.sequence.SequenceTrainer;
import io.foresail.models.sequence.SequenceWindows;
import io.foresail.training.data.DatasetCache;
import io.foresail.models.Task;
import io.foresail.training.metrics.Evaluation;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trial of a search, as it runs wherever the {@link io.foresail.training.search.TrialRunner}
 * runs it (this JVM or a Spark executor): fit, score on the validation rows, and return the model
 * as its artifact files, so the best one travels back verified by its checksums.
 */
public final class Trials {
    private Trials() {
    }

    /**
     * What a fold's trials read: the fit template (rows), the sequence template (windows, or null
     * when no sequence model is configured), and the validation rows with their times, symbols and labels.
     */
    public record FoldData(FitRequest request, SequenceFold sequences, int[] validationRows, long[] validationTs,
                           int[] validationSymbol, double[] validationLabel) implements Serializable {
    }

    /**
     * A fold for sequence models: sample rows and labels, and where the data set is. The windows'
     * pool is the whole set, so it is not shipped: each JVM opens the set from its directory once
     * ({@link DatasetCache}); in local mode that is the driver's own copy.
     */
    public record SequenceFold(String datasetDir, int length, int[] trainSamples, float[] trainLabels,
                               int[] validationSamples, float[] validationLabels, FitRequest template)
            implements Serializable {

        SequenceFitRequest request(Hyperparameters h) {
            SequenceWindows windows = DatasetCache.open(Path.of(datasetDir)).windows(length);
            return new SequenceFitRequest(windows, trainSamples, trainLabels, validationSamples, validationLabels,
                    template.provenance().with(h));
        }
    }

    /** A trial's validation rank IC and its model's artifact files by relative path. */
    public record Outcome(double score, Map<String, byte[]> files) implements Serializable {
    }

    /** Fits {@code trainer} with {@code h} on the fold and scores it by validation rank IC. */
    public static Outcome fitAndScore(FoldData d, Trainer trainer, Hyperparameters h) {
        if (trainer instanceof SequenceTrainer st) {
            SequenceFitRequest request = d.sequences().request(h);
            try (Model m = st.fit(request)) {
                double[] p = SequenceTrainer.predict(m, request.windows(), request.validationSamples());
                double[] y = new double[p.length];
                long[] ts = new long[p.length];
                int[] sym = new int[p.length];
                // Validation samples are the fold's validation rows that have a full window, in row
                // order: walk both lists together.
                for (int i = 0, k = 0; i < p.length; i++, k++) {
                    while (d.validationRows()[k] != request.validationSamples()[i]) {
                        k++;
                    }
                    y[i] = d.validationLabel()[k];
                    ts[i] = d.validationTs()[k];
                    sym[i] = d.validationSymbol()[k];
                }
                double score = Evaluation.of(ts, sym, p, y, null, request.task() == Task.CLASSIFICATION, 0).rankIc();
                return new Outcome(score, files(m));
            }
        }
        FitRequest request = d.request().with(h);
        try (Model m = ((ModelTrainer) trainer).fit(request)) {
            double[] p = m.predict(request.validation().x());
            double score = Evaluation.of(d.validationTs(), d.validationSymbol(), p, d.validationLabel(), null,
                    request.task() == Task.CLASSIFICATION, 0).rankIc();
            return new Outcome(score, files(m));
        }
    }

    /** Loads (and verifies) the model an outcome carries; the caller closes it. */
    public static Model load(Outcome o) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("foresail-model");
            for (Map.Entry<String, byte[]> f : o.files().entrySet()) {
                Path target = dir.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, f.getValue());
            }
            return ModelArtifact.load(dir);
        } catch (IOException e) {
            throw new ForesailException("cannot unpack a trial's model: " + e.getMessage(), e);
        } finally {
            Directories.deleteQuietly(dir);
        }
    }

    private static Map<String, byte[]> files(Model m) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("foresail-trial");
            Path model = dir.resolve("model");
            m.save(model);
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (String f : ModelArtifact.digests(model).keySet()) {
                out.put(f, Files.readAllBytes(model.resolve(f)));
            }
            out.put(ModelArtifact.CHECKSUMS, Files.readAllBytes(model.resolve(ModelArtifact.CHECKSUMS)));
            return out;
        } catch (IOException e) {
            throw new ForesailException("cannot pack a trial's model: " + e.getMessage(), e);
        } finally {
            Directories.deleteQuietly(dir);
        }
    }

    static List<Double> scores(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::score).toList();
    }
}
