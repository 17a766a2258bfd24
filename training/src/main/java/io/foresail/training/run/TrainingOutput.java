package io.foresail.training.run;

import io.foresail.core.io.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresail.core.error.ForesailException;
import io.foresail.models.ModelArtifact;
import io.foresail.models.Task;
import io.foresail.training.data.Dataset;
import io.foresail.training.metrics.Evaluation;
import io.foresail.training.search.HyperparameterSearch;
import io.foresail.training.split.Fold;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a training run's results into its output directory:
 * <pre>
 * models/&lt;model&gt;/fold-&lt;k&gt;/   each fitted model (an artifact with its test metrics in model.json)
 * oof/&lt;model&gt;.csv            out-of-fold predictions: symbol, ts, fold, prediction, label
 * report.json                 folds, trials, per-fold and pooled out-of-sample metrics, the oracle's
 * report.txt                  the same as a readable table
 * </pre>
 */
public final class TrainingOutput {

    /** report.json. */
    public record Report(@JsonProperty("feature_set_id") String featureSetId,
                         @JsonProperty("target") String target,
                         @JsonProperty("task") Task task,
                         @JsonProperty("config") TrainingConfig config,
                         @JsonProperty("folds") List<FoldInfo> folds,
                         @JsonProperty("models") Map<String, ModelReport> models) {
    }

    /** A fold's windows (UTC bar starts, inclusive) and row counts. */
    public record FoldInfo(@JsonProperty("fold") int fold,
                           @JsonProperty("train") List<String> train,
                           @JsonProperty("validation") List<String> validation,
                           @JsonProperty("test") List<String> test) {
    }

    /** One model: per fold, and pooled over all test rows; the oracle on the same rows when known. */
    public record ModelReport(@JsonProperty("folds") List<ModelFold> folds,
                              @JsonProperty("out_of_sample") Evaluation outOfSample,
                              @JsonProperty("oracle_out_of_sample") Evaluation oracle,
                              @JsonProperty("feature_importance_top") Map<String, Double> importance) {
    }

    /** The mean importance share over the folds' models, the {@code top} largest, descending. */
    static Map<String, Double> meanImportance(List<TrainingRun.FoldResult> results, int top) {
        Map<String, Double> sum = new LinkedHashMap<>();
        for (TrainingRun.FoldResult r : results) {
            r.fitted().featureImportance().forEach((k, v) -> sum.merge(k, v / results.size(), Double::sum));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        sum.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * One model on one fold. {@code budget} is what a budgeted fit (the sequence models) used: its
     * windows sampled of those available, inputs kept, epochs, seconds; empty for the others.
     */
    public record ModelFold(@JsonProperty("fold") int fold,
                            @JsonProperty("best_hyperparameters") Map<String, Object> best,
                            @JsonProperty("trials") List<HyperparameterSearch.Trial> trials,
                            @JsonProperty("validation") Evaluation validation,
                            @JsonProperty("test") Evaluation test,
                            @JsonProperty("budget") Map<String, String> budget) {
    }

    /** Model card attributes that describe a fit's training budget. */
    private static final List<String> BUDGET = List.of("train_samples", "validation_samples", "inputs", "best_epoch",
            "epochs_run", "fit_seconds");

    static Map<String, String> budget(io.foresail.models.Model fitted) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : BUDGET) {
            String v = fitted.card().attributes().get(k);
            if (v != null) {
                out.put(k, v);
            }
        }
        return out;
    }

    private TrainingOutput() {
    }

    /**
     * Writes out-of-fold predictions as {@code oof/<model>.csv}: one line per scored row,
     * {@code symbol,ts,fold,prediction,label} with {@code ts} the bar's open in UTC (ISO-8601) and
     * {@code label} the training target. {@code ./foresail backtest --oof} reads this file.
     *
     * @param rows dataset rows, parallel to {@code fold} and {@code prediction}
     */
    public static void writeOutOfFold(Path file, Dataset data, int[] rows, int[] fold, double[] prediction,
                                      double[] target) throws IOException {
        Files.createDirectories(file.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("symbol,ts,fold,prediction,label\n");
            for (int i = 0; i < rows.length; i++) {
                int row = rows[i];
                w.write(data.symbols().get(data.symbol()[row]));
                w.write(',');
                w.write(Instant.EPOCH.plusNanos(data.ts()[row] * 1000).toString());
                w.write(',');
                w.write(Integer.toString(fold[i]));
                w.write(',');
                w.write(Double.toString(prediction[i]));
                w.write(',');
                w.write(Double.toString(target[row]));
                w.write('\n');
            }
        }
    }

    /**
     * Writes everything and returns the report.
     *
     * @param oracleByRow a known-true score for every dataset row (the synthetic market's expected
     *                    return; NaN where it has none), reported beside each model on the same
     *                    rows; null when there is none, as for real data
     */
    public static Report write(Path out, Dataset data, TrainingRun.Plan plan, List<TrainingRun.FoldResult> results,
                               double[] oracleByRow) {
        TrainingConfig cfg = plan.config();
        double[] target = data.label(cfg.target());
        double[] dayReturn = data.labelNames().contains(cfg.dayReturn()) ? data.label(cfg.dayReturn()) : null;
        if (oracleByRow != null && oracleByRow.length != data.rows()) {
            throw new IllegalArgumentException("oracle has " + oracleByRow.length + " values for " + data.rows() + " rows");
        }
        double[] oracleValues = oracleByRow;
        try {
            Files.createDirectories(out.resolve("oof"));
            Map<String, ModelReport> models = new LinkedHashMap<>();
            for (String name : plan.trainers().keySet()) {
                List<TrainingRun.FoldResult> mine = results.stream().filter(r -> r.model().equals(name)).toList();
                List<ModelFold> folds = new ArrayList<>();
                int total = mine.stream().mapToInt(r -> r.rows().length).sum();
                int[] rows = new int[total];
                double[] pred = new double[total];
                int[] fold = new int[total];
                int at = 0;
                for (TrainingRun.FoldResult r : mine) {
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    metrics.put("test_rank_ic", r.test().rankIc());
                    metrics.put("test_ic", r.test().ic());
                    metrics.put("validation_rank_ic", r.validation().rankIc());
                    ModelArtifact.save(r.fitted(), out.resolve("models").resolve(name).resolve("fold-" + r.fold()), metrics);
                    folds.add(new ModelFold(r.fold(), r.best().values(), r.trials(), r.validation(), r.test(),
                            budget(r.fitted())));
                    System.arraycopy(r.rows(), 0, rows, at, r.rows().length);
                    System.arraycopy(r.prediction(), 0, pred, at, r.rows().length);
                    Arrays.fill(fold, at, at + r.rows().length, r.fold());
                    at += r.rows().length;
                }
                writeOutOfFold(out.resolve("oof").resolve(name + ".csv"), data, rows, fold, pred, target);
                Evaluation pooled = evaluate(data, rows, pred, target, dayReturn, cfg);
                Evaluation oracleEval = null;
                if (oracleValues != null) {
                    double[] o = new double[rows.length];
                    for (int i = 0; i < rows.length; i++) {
                        o[i] = oracleValues[rows[i]];
                    }
                    oracleEval = evaluate(data, rows, o, target, dayReturn, cfg.task() == Task.CLASSIFICATION ? null : cfg);
                }
                models.put(name, new ModelReport(folds, pooled, oracleEval, meanImportance(mine, 20)));
            }
            List<FoldInfo> foldInfo = plan.folds().stream().map(f -> info(data, f)).toList();
            Report report = new Report(data.featureSetId(), cfg.target(), cfg.task(), cfg, foldInfo, models);
            Json.PRETTY.writeValue(out.resolve("report.json").toFile(), report);
            Files.writeString(out.resolve("report.txt"), table(report), StandardCharsets.UTF_8);
            return report;
        } catch (IOException e) {
            throw new ForesailException("cannot write training output to " + out + ": " + e.getMessage(), e);
        }
    }

    private static Evaluation evaluate(Dataset data, int[] rows, double[] pred, double[] target, double[] dayReturn,
                                       TrainingConfig cfg) {
        boolean classification = cfg != null && cfg.task() == Task.CLASSIFICATION;
        return TrainingRun.evaluate(data, rows, pred, target, dayReturn, classification, cfg == null ? 0 : cfg.costBps());
    }

    private static FoldInfo info(Dataset data, Fold f) {
        return new FoldInfo(f.index(), span(data, f.train().from(), f.train().to()),
                span(data, f.validation().from(), f.validation().to()), span(data, f.test().from(), f.test().to()));
    }

    private static List<String> span(Dataset data, int from, int to) {
        return List.of(Instant.EPOCH.plusNanos(data.times()[from] * 1000).toString(),
                Instant.EPOCH.plusNanos(data.times()[to - 1] * 1000).toString());
    }

    /** The readable summary: one line per model, pooled over test folds, with the oracle beside it. */
    public static String table(Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "feature set %s, target %s (%s), %d folds%n%n", r.featureSetId(), r.target(),
                r.task().name().toLowerCase(Locale.ROOT), r.folds().size()));
        b.append(String.format(Locale.ROOT, "%-10s %9s %9s %8s %8s %7s %9s %9s %11s %8s%n", "model", "rows", "rank_ic",
                "stderr", "icir", "hit", "sharpe", "net", "oracle_ric", "ratio"));
        for (Map.Entry<String, ModelReport> e : r.models().entrySet()) {
            Evaluation o = e.getValue().outOfSample();
            Evaluation or = e.getValue().oracle();
            b.append(String.format(Locale.ROOT, "%-10s %9d %9.4f %8.4f %8.4f %7.3f %9.2f %9.2f %11s %8s%n", e.getKey(),
                    o.rows(), o.rankIc(), o.rankIcStderr(), o.icir(), o.hitRate(), o.sharpeGross(), o.sharpeNet(),
                    or == null ? "-" : String.format(Locale.ROOT, "%.4f", or.rankIc()),
                    or == null ? "-" : String.format(Locale.ROOT, "%.2f", o.rankIc() / or.rankIc())));
        }
        b.append(String.format(Locale.ROOT, "%ntop features (mean importance share over folds):%n"));
        for (Map.Entry<String, ModelReport> e : r.models().entrySet()) {
            b.append(String.format(Locale.ROOT, "%-10s", e.getKey()));
            e.getValue().importance().entrySet().stream().limit(5).forEach(f ->
                    b.append(String.format(Locale.ROOT, " %s %.3f", f.getKey(), f.getValue())));
            b.append('\n');
        }
        boolean budgeted = r.models().values().stream().anyMatch(m -> m.folds().stream().anyMatch(f -> !f.budget().isEmpty()));
        if (budgeted) {
            b.append(String.format(Locale.ROOT, "%ntraining budget (per fold: windows used of available, inputs, best/run epochs, seconds):%n"));
            for (Map.Entry<String, ModelReport> e : r.models().entrySet()) {
                if (e.getValue().folds().stream().allMatch(f -> f.budget().isEmpty())) {
                    continue;
                }
                for (ModelFold f : e.getValue().folds()) {
                    Map<String, String> u = f.budget();
                    b.append(String.format(Locale.ROOT, "%-10s fold %d: %s windows, validation %s, %s inputs, epoch %s/%s, %s s%n",
                            e.getKey(), f.fold(), u.get("train_samples"), u.get("validation_samples"), u.get("inputs"),
                            u.get("best_epoch"), u.get("epochs_run"), u.get("fit_seconds")));
                }
            }
        }
        b.append(String.format(Locale.ROOT, "%nper fold (test rank IC):%n"));
        for (Map.Entry<String, ModelReport> e : r.models().entrySet()) {
            b.append(String.format(Locale.ROOT, "%-10s", e.getKey()));
            for (ModelFold f : e.getValue().folds()) {
                b.append(String.format(Locale.ROOT, " %8.4f", f.test().rankIc()));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
