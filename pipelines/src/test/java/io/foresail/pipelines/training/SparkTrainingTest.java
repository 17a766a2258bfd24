package io.foresail.pipelines.training;

import io.foresail.core.progress.Progress;
import io.foresail.core.universe.Universe;
import io.foresail.data.synth.SynthConfig;
import io.foresail.pipelines.testing.TestMarkets;
import io.foresail.data.synth.SynthOutput;
import io.foresail.features.spec.FeatureSetSpec;
import io.foresail.pipelines.features.FeatureSetJob;
import io.foresail.training.data.Dataset;
import io.foresail.training.run.TrainingConfig;
import io.foresail.training.run.TrainingRun;
import io.foresail.training.search.TrialRunner;
import io.foresail.models.ModelTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trials fanned out as Spark tasks (folds' data as broadcasts, models back as artifact files) give
 * exactly what the same run on the calling thread gives: the same trials in the same order with
 * the same scores, and bit-identical out-of-sample predictions, for trees, ridge and the LSTM.
 */
class SparkTrainingTest {
    @TempDir
    static Path dir;

    @Test
    void sparkTrialsEqualLocalTrialsBitForBit() throws java.io.IOException {
        Path market = TestMarkets.of(SynthConfig.builder().symbols(8).start(LocalDate.of(2022, 1, 3))
                .end(LocalDate.of(2022, 12, 30)).seed(5).build());
        // Equality of the two runners does not grow stronger with width: a dozen features of every
        // kind (price, volume, cross-sectional, relative) keep the fits small.
        Path spec = java.nio.file.Files.writeString(dir.resolve("narrow.yaml"), "name: narrow\nfeatures: ["
                + "{alpha158_kmid: [1]}, {alpha158_roc: [5, 20]}, {alpha158_std: [20]}, {tech_rsi: [14]}, "
                + "{alpha158_vma: [5]}, {vol_parkinson: [26]}, {rel_beta: [130]}]\n");
        FeatureSetJob.Result set = FeatureSetJob.run(new FeatureSetJob.Request(market.resolve("bars"),
                FeatureSetSpec.load(spec), dir.resolve("sets"), Universe.defaultUniverse(), "local[2]"));
        Dataset data = Dataset.load(set.dir());
        LinkedHashMap<String, TrainingConfig.ModelConfig> models = new LinkedHashMap<>();
        models.put("xgboost", new TrainingConfig.ModelConfig(Map.of("rounds", 60), Map.of()));
        models.put("ridge", new TrainingConfig.ModelConfig(Map.of(), Map.of()));
        models.put("lstm", new TrainingConfig.ModelConfig(Map.of("hidden", 8, "layers", 1, "epochs", 2),
                Map.of("hidden", List.of(4.0, 12.0), "layers", List.of(1.0, 2.0))));
        TrainingConfig cfg = new TrainingConfig("label_fwd_4_raw", null, 7L, 1, 1, 5.0, 8,
                new TrainingConfig.WalkForward(null, 6, 2, 2, 2, 26, 0), new TrainingConfig.Search(5, 10.0), models, null);
        TrainingRun.Plan plan = TrainingRun.plan(data, cfg, ModelTypes.trainers());
        assertThat(plan.folds()).hasSize(2);

        List<TrainingRun.FoldResult> local = new TrainingRun(data, TrialRunner.sequential(), Progress.NONE).run(plan);
        List<TrainingRun.FoldResult> spark;
        try (SparkTrialRunner runner = SparkTrialRunner.start("local[2]")) {
            spark = new TrainingRun(data, runner, Progress.NONE).run(plan);
        }
        try {
            assertThat(spark).hasSameSizeAs(local);
            for (int i = 0; i < local.size(); i++) {
                TrainingRun.FoldResult a = local.get(i);
                TrainingRun.FoldResult b = spark.get(i);
                assertThat(b.trials()).as("%s fold %d trials", a.model(), a.fold()).isEqualTo(a.trials());
                assertThat(a.trials()).hasSize(5);
                assertThat(a.rows()).as("%s scored rows", a.model()).isNotEmpty();
                assertThat(b.best()).isEqualTo(a.best());
                assertThat(java.util.Arrays.stream(b.prediction()).mapToLong(Double::doubleToRawLongBits).toArray())
                        .isEqualTo(java.util.Arrays.stream(a.prediction()).mapToLong(Double::doubleToRawLongBits).toArray());
            }
        } finally {
            local.forEach(r -> r.fitted().close());
            spark.forEach(r -> r.fitted().close());
        }
    }
}
