package io.foresail.pipelines.predict;

import io.foresail.core.error.InvalidInputException;
import io.foresail.inference.RunningPlan;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.registry.ModelRef;
import io.foresail.registry.ModelRegistry;
import io.foresail.registry.ModelVersion;
import io.foresail.training.data.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Predicts a feature set (or a time range of it) with a registered model version and writes a
 * {@link PredictionFile}. It scores exactly the rows the live path would: a symbol's row once the
 * symbol has had enough bars for the longest feature warm-up and for the model's window, and, for
 * a model that takes no missing values, only rows whose window holds none. The model must have been
 * trained on this feature plan ({@link RunningPlan#requireServes}, the live path's check against the
 * set's recorded plan); the bars may differ (predicting a newer set of the same plan is the point).
 */
public final class BatchPrediction {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPrediction.class);
    private static final int CHUNK = 50_000;

    private BatchPrediction() {
    }

    /**
     * What to predict.
     *
     * @param from first bar start to score (inclusive), or null for the set's first
     * @param to   last bar start to score (inclusive), or null for the set's last
     */
    public record Request(ModelRef model, Path features, Instant from, Instant to, Path out) {
        public Request {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(out, "out");
            if (from != null && to != null && to.isBefore(from)) {
                throw new InvalidInputException("--to " + to + " is before --from " + from);
            }
        }
    }

    /**
     * What was written.
     *
     * @param rows      rows of the set in the range
     * @param scored    rows scored and written
     * @param warmingUp rows in the range not scored because their symbol was still warming up
     */
    public record Result(ModelVersion version, Path out, int rows, int scored, int warmingUp, double seconds) {
        public double rowsPerSecond() {
            return scored / Math.max(1e-9, seconds);
        }
    }

    public static Result run(ModelRegistry registry, Request r) {
        if (Files.exists(r.out())) {
            throw new InvalidInputException("--out " + r.out() + " exists; predictions are never overwritten");
        }
        ModelVersion v = registry.resolve(r.model());
        return predict(v, registry.fetch(v), r.features(), r.from(), r.to(), r.out());
    }

    /**
     * Predicts with an unregistered artifact directory (verified first), named in the file by
     * {@link #localVersion}. For research on a model that is not (yet) in the registry.
     */
    public static Result runLocal(Path modelDir, Path features, Instant from, Instant to, Path out) {
        if (Files.exists(out)) {
            throw new InvalidInputException("--out " + out + " exists; predictions are never overwritten");
        }
        ModelArtifact.verify(modelDir);
        return predict(localVersion(modelDir), modelDir, features, from, to, out);
    }

    /** How an unregistered artifact directory is named where a version would be: {@code local:<dir>/0}. */
    public static ModelVersion localVersion(Path modelDir) {
        return new ModelVersion("local:" + modelDir.toAbsolutePath().normalize(), "0", null, modelDir.toString(), "LOCAL",
                null, List.of(), Map.of());
    }

    private static Result predict(ModelVersion v, Path dir, Path features, Instant fromBar, Instant toBar, Path outFile) {
        Request r = new Request(v.ref(), features, fromBar, toBar, outFile);
        Dataset data = Dataset.load(r.features());
        long t0 = System.nanoTime();
        RunningPlan plan = RunningPlan.ofFeatureSet(data.manifest());
        try (Model model = ModelArtifact.load(dir)) {
            plan.requireServes(model.card(), v.name() + "/" + v.version(), Integer.MAX_VALUE);
            int window = Math.max(1, model.card().sequenceLength());
            int need = Math.max(window, plan.warmUpBars());
            int offset = "drop_warmup".equals(data.manifest().spec().path("nan_policy").asText("keep"))
                    ? Math.max(0, plan.warmUpBars() - 1) : 0;
            long from = r.from() == null ? Long.MIN_VALUE : micros(r.from());
            long to = r.to() == null ? Long.MAX_VALUE : micros(r.to());
            int[] seen = new int[data.symbols().size()];
            List<Integer> picked = new ArrayList<>();
            int inRange = 0;
            boolean missingAllowed = model.acceptsMissingValues();
            var windows = window > 1 ? data.windows(window) : null;
            for (int row = 0; row < data.rows(); row++) {
                int s = data.symbol()[row];
                seen[s]++;
                long ts = data.ts()[row];
                if (ts < from || ts > to) {
                    continue;
                }
                inRange++;
                if (seen[s] + offset >= need && (missingAllowed || !anyMissing(data, windows, row))) {
                    picked.add(row);
                }
            }
            int[] rows = picked.stream().mapToInt(Integer::intValue).toArray();
            double[] score = new double[rows.length];
            for (int at = 0; at < rows.length; at += CHUNK) {
                int[] chunk = Arrays.copyOfRange(rows, at, Math.min(rows.length, at + CHUNK));
                FeatureMatrix x = windows == null ? data.x().select(chunk) : windows.windows(chunk);
                System.arraycopy(model.predict(x), 0, score, at, chunk.length);
            }
            List<String> symbol = new ArrayList<>(rows.length);
            long[] ts = new long[rows.length];
            for (int i = 0; i < rows.length; i++) {
                symbol.add(data.symbols().get(data.symbol()[rows[i]]));
                ts[i] = data.ts()[rows[i]];
            }
            Map<String, String> meta = new TreeMap<>();
            meta.put("foresail.model", v.name());
            meta.put("foresail.model_version", v.version());
            meta.put("foresail.run_id", String.valueOf(v.runId()));
            meta.put("foresail.feature_set_id", data.featureSetId());
            meta.put("foresail.plan_hash", String.valueOf(data.manifest().planHash()));
            Path parent = r.out().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            PredictionFile.write(r.out(), symbol, ts, score, v.name() + "/" + v.version(), meta);
            double secs = (System.nanoTime() - t0) / 1e9;
            LOG.info("predicted {} of {} rows of {} with {}/{} in {} s", rows.length, inRange, data.featureSetId(),
                    v.name(), v.version(), String.format(java.util.Locale.ROOT, "%.1f", secs));
            return new Result(v, r.out(), inRange, rows.length, inRange - rows.length, secs);
        } catch (java.io.IOException e) {
            throw new InvalidInputException("cannot write " + r.out() + ": " + e.getMessage(), e);
        }
    }

    private static boolean anyMissing(Dataset data, io.foresail.models.sequence.SequenceWindows windows, int row) {
        int[] rows = windows == null ? new int[] {row} : windows.rowsOf(row);
        for (int r : rows) {
            for (int j = 0; j < data.x().cols(); j++) {
                if (Float.isNaN(data.x().get(r, j))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
