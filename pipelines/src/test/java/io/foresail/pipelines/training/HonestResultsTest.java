package io.foresail.pipelines.training;

import io.foresail.core.progress.Progress;
import io.foresail.core.universe.Universe;
import io.foresail.data.synth.OracleFile;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SynthOutput;
import io.foresail.features.spec.FeatureSetSpec;
import io.foresail.pipelines.features.FeatureSetJob;
import io.foresail.training.data.Dataset;
import io.foresail.training.metrics.Evaluation;
import io.foresail.training.run.TrainingConfig;
import io.foresail.training.run.TrainingOutput;
import io.foresail.training.run.TrainingRun;
import io.foresail.training.search.TrialRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Honest results on the synthetic market, end to end (bars → Spark feature job → walk-forward
 * training → report): with a planted alpha the best GBM recovers at least half of the oracle's
 * out-of-sample rank IC on the same rows, and no model beats the oracle by more than its standard
 * error (that would be a leak); with no alpha every model is within noise of zero.
 */
class HonestResultsTest {
    @TempDir
    static Path dir;

    @Test
    void modelsLearnThePlantedAlphaAndNoMore() throws Exception {
        TrainingOutput.Report r = trainOn(0.03, "alpha");
        Map<String, TrainingOutput.ModelReport> m = r.models();
        double oracle = m.get("xgboost").oracle().rankIc();
        assertThat(oracle).as("oracle rank IC on the test rows").isBetween(0.02, 0.045);
        double bestGbm = Math.max(m.get("xgboost").outOfSample().rankIc(), m.get("lightgbm").outOfSample().rankIc());
        assertThat(bestGbm).as("best GBM out-of-sample rank IC vs oracle %s", oracle).isGreaterThanOrEqualTo(0.5 * oracle);
        for (Map.Entry<String, TrainingOutput.ModelReport> e : m.entrySet()) {
            Evaluation o = e.getValue().outOfSample();
            assertThat(e.getValue().oracle().rows()).isEqualTo(o.rows());
            assertThat(o.rankIc()).as("%s must not beat the oracle (%s) by more than its stderr %s: a leak",
                    e.getKey(), e.getValue().oracle().rankIc(), o.rankIcStderr())
                    .isLessThanOrEqualTo(e.getValue().oracle().rankIc() + o.rankIcStderr());
        }
    }

    @Test
    void withoutAlphaEveryModelIsWithinNoiseOfZero() throws Exception {
        TrainingOutput.Report r = trainOn(0.0, "none");
        for (Map.Entry<String, TrainingOutput.ModelReport> e : r.models().entrySet()) {
            Evaluation o = e.getValue().outOfSample();
            assertThat(Math.abs(o.rankIc())).as("%s rank IC %s, stderr %s", e.getKey(), o.rankIc(), o.rankIcStderr())
                    .isLessThanOrEqualTo(3 * o.rankIcStderr());
        }
    }

    private static TrainingOutput.Report trainOn(double alphaIc, String name) throws Exception {
        Path market = dir.resolve(name);
        // Two years of 30 equities: four walk-forward folds with nine months of training each.
        SynthOutput.write(market, SynthConfig.builder().symbols(30).start(LocalDate.of(2021, 1, 4))
                .end(LocalDate.of(2022, 12, 30)).seed(17).alphaIc(alphaIc).build(), 0, Progress.NONE);
        FeatureSetJob.Result set = FeatureSetJob.run(new FeatureSetJob.Request(market.resolve("bars"),
                FeatureSetSpec.defaultSpec(), dir.resolve(name + "-sets"), Universe.defaultUniverse(), "local[2]"));
        Dataset data = Dataset.load(set.dir());
        LinkedHashMap<String, TrainingConfig.ModelConfig> models = new LinkedHashMap<>();
        for (String model : List.of("xgboost", "lightgbm", "ridge")) {
            models.put(model, new TrainingConfig.ModelConfig(Map.of(), Map.of()));
        }
        TrainingConfig cfg = new TrainingConfig("label_fwd_1_excess", null, 42L, 2, 1, 5.0, null,
                new TrainingConfig.WalkForward(null, 9, 2, 3, 3, 26, 26), new TrainingConfig.Search(1, 10.0), models);
        TrainingRun.Plan plan = TrainingRun.plan(data, cfg, TrainingRun.standardTrainers());
        assertThat(plan.folds()).hasSize(4);
        List<TrainingRun.FoldResult> results = new TrainingRun(data, TrialRunner.sequential(), Progress.NONE).run(plan);
        try {
            Path out = dir.resolve(name + "-train");
            TrainingOutput.Report report = TrainingOutput.write(out, data, plan, results,
                    market.resolve("oracle").resolve(OracleFile.FILE));
            assertThat(out.resolve("report.json")).exists();
            assertThat(Files.readAllLines(out.resolve("oof").resolve("xgboost.csv")))
                    .hasSize(report.models().get("xgboost").outOfSample().rows() + 1);
            System.err.println(TrainingOutput.table(report));
            return report;
        } finally {
            results.forEach(r -> r.fitted().close());
        }
    }
}
