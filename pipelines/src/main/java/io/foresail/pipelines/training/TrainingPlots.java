package io.foresail.pipelines.training;

import io.foresail.ensemble.EnsembleReport;
import io.foresail.models.Model;
import io.foresail.training.report.BarChart;
import io.foresail.training.run.TrainingOutput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plots of a training run, as PNG files in {@code plots/}:
 * <ul>
 *   <li>{@code fold_rank_ic.png}: each model's test rank IC per fold, with the ensemble's level-1
 *       walk-forward figure beside them (fold 0 has none);</li>
 *   <li>{@code feature_importance.png}: the deployable ensemble's top 20 features (its members'
 *       importances weighted by their meta-learner weights).</li>
 * </ul>
 */
public final class TrainingPlots {
    public static final String FOLD_RANK_IC = "fold_rank_ic.png";
    public static final String FEATURE_IMPORTANCE = "feature_importance.png";

    private TrainingPlots() {
    }

    public static void write(Path dir, TrainingOutput.Report report, EnsembleReport ensemble, Model deployed) {
        List<String> folds = new ArrayList<>();
        report.folds().forEach(f -> folds.add("fold " + f.fold()));
        Map<String, double[]> series = new LinkedHashMap<>();
        report.models().forEach((model, r) -> {
            double[] v = new double[folds.size()];
            Arrays.fill(v, Double.NaN);
            r.folds().forEach(f -> v[f.fold()] = f.test().rankIc());
            series.put(model, v);
        });
        double[] e = new double[folds.size()];
        Arrays.fill(e, Double.NaN);
        ensemble.folds().forEach(f -> e[f.fold()] = f.rankIc().get(EnsembleReport.ENSEMBLE));
        series.put("ensemble (level-1 walk-forward)", e);
        BarChart.grouped(dir.resolve(FOLD_RANK_IC), "Out-of-sample rank IC per walk-forward fold", "mean rank IC per bar",
                folds, series);
        Map<String, Double> top = new LinkedHashMap<>();
        deployed.featureImportance().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(20).forEach(x -> top.put(x.getKey(), x.getValue()));
        BarChart.horizontal(dir.resolve(FEATURE_IMPORTANCE), "Feature importance of the deployed ensemble (share)", top);
    }
}
