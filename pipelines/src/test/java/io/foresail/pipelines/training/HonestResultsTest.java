package io.foresail.pipelines.training;

import io.foresail.core.progress.Progress;
import io.foresail.core.universe.Universe;
import io.foresail.ensemble.EnsembleReport;
import io.foresail.ensemble.Stacking;
import io.foresail.data.synth.OracleFile;
import io.foresail.data.synth.SynthConfig;
import io.foresail.pipelines.testing.TestMarkets;
import io.foresail.data.synth.SynthOutput;
import io.foresail.features.spec.FeatureSetSpec;
import io.foresail.pipelines.features.FeatureSetJob;
import io.foresail.training.data.Dataset;
import io.foresail.training.metrics.Evaluation;
import io.foresail.training.run.TrainingConfig;
import io.foresail.training.run.TrainingOutput;
import io.foresail.training.run.TrainingRun;
import io.foresail.training.search.TrialRunner;
import io.foresail.models.ModelTypes;
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
 * error (that would be a leak); with no alpha every model is within noise of zero. The same holds
 * for the stacked ensemble scored walk-forward at level 1, whose meta-learner provably never reads a
 * label it must not see.
 */
class HonestResultsTest {
    @TempDir
    static Path dir;

    /** A training run's report and the stacked ensemble's, and what the level-1 check needs. */
    private record Trained(TrainingOutput.Report report, EnsembleReport ensemble, Dataset data, TrainingRun.Plan plan,
                           Stacking.OutOfFold oof) {
    }

    @Test
    void modelsLearnThePlantedAlphaAndNoMore() throws Exception {
        Trained t = trainOn(0.03, "alpha");
        TrainingOutput.Report r = t.report();
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
        // The ensemble, scored walk-forward at level 1, learns the alpha too and does not beat the oracle.
        EnsembleReport er = t.ensemble();
        Evaluation ens = er.outOfSample().get(EnsembleReport.ENSEMBLE);
        assertThat(er.folds()).extracting(EnsembleReport.FoldScores::fold).containsExactly(1, 2, 3);
        for (String member : er.members()) {
            assertThat(er.outOfSample().get(member).rows()).as("same rows for every column").isEqualTo(ens.rows());
        }
        assertThat(ens.rankIc()).as("ensemble rank IC %s, stderr %s", ens.rankIc(), ens.rankIcStderr())
                .isGreaterThan(3 * ens.rankIcStderr()).isLessThanOrEqualTo(oracle + 3 * ens.rankIcStderr());
        assertThat(er.ensembleWins()).isEqualTo(ens.rankIc() > er.outOfSample().get(er.bestMember()).rankIc());
    }

    /**
     * No look-ahead at level 1: fold k's ensemble predictions are bit-identical whatever the labels
     * of the bars its meta-learner must not see (fold k onwards and the gap before it); changing an
     * earlier label does change them.
     */
    @Test
    void theLevelOneWalkForwardNeverReadsALaterLabel() throws Exception {
        Trained t = trainOn(0.03, "alpha");
        TrainingConfig cfg = t.plan().config();
        int gap = cfg.split().purgeBars() + cfg.split().embargoBars();
        double[] target = t.data().label(cfg.target());
        Stacking.LevelOne base = Stacking.levelOneWalkForward(t.data(), t.oof(), t.plan().folds(), gap, target, null, cfg);
        for (int k = 1; k < t.plan().folds().size(); k++) {
            int hidden = t.plan().folds().get(k).test().from() - gap;
            double[] changed = target.clone();
            java.util.SplittableRandom r = new java.util.SplittableRandom(k);
            for (int row = 0; row < changed.length; row++) {
                if (t.data().barOf()[row] >= hidden && Double.isFinite(changed[row])) {
                    changed[row] = r.nextGaussian() * 0.01;
                }
            }
            Stacking.LevelOne after = Stacking.levelOneWalkForward(t.data(), t.oof(), t.plan().folds(), gap, changed, null, cfg);
            assertThat(foldPredictions(t, after, k)).as("fold %d", k).isEqualTo(foldPredictions(t, base, k));
        }
        double[] earlier = target.clone();
        int seen = t.plan().folds().get(1).test().from() - gap;
        for (int row = 0; row < earlier.length; row++) {
            if (t.data().barOf()[row] < seen && Double.isFinite(earlier[row])) {
                earlier[row] = -earlier[row];
            }
        }
        Stacking.LevelOne flipped = Stacking.levelOneWalkForward(t.data(), t.oof(), t.plan().folds(), gap, earlier, null, cfg);
        assertThat(foldPredictions(t, flipped, 1)).isNotEqualTo(foldPredictions(t, base, 1));
    }

    /**
     * What each member adds, out of sample: removing a member that duplicates another costs the
     * ensemble nothing, removing one that carries a signal no other member has costs it that signal.
     */
    @Test
    void whatEachMemberAddsSeparatesADuplicateFromAUniqueSignal() throws Exception {
        Trained t = trainOn(0.03, "alpha");
        EnsembleReport er = t.ensemble();
        assertThat(er.without().keySet()).containsExactlyElementsOf(er.members());
        assertThat(er.without().values()).allMatch(Double::isFinite);
        assertThat(er.table()).contains("what each member adds");

        TrainingConfig cfg = t.plan().config();
        int gap = cfg.split().purgeBars() + cfg.split().embargoBars();
        double[] target = t.data().label(cfg.target());
        Stacking.OutOfFold oof = t.oof();
        int xgb = oof.members().indexOf("xgboost");
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        double[] informed = new double[oof.rows().length];
        for (int i = 0; i < informed.length; i++) {
            // A planted member that knows part of the label: a signal the trained members do not have.
            informed[i] = target[oof.rows()[i]] + r.nextGaussian() * 0.02;
        }
        double[][] predictions = {oof.predictions()[xgb], oof.predictions()[xgb].clone(), informed};
        Stacking.OutOfFold planted = new Stacking.OutOfFold(List.of("xgboost", "copy", "informed"), oof.rows(), oof.fold(),
                predictions);
        Map<String, Evaluation> pooled = Stacking.levelOneWalkForward(t.data(), planted, t.plan().folds(), gap, target,
                null, cfg).pooled();
        double full = pooled.get(EnsembleReport.ENSEMBLE).rankIc();
        Map<String, Double> without = Stacking.withoutEachMember(t.data(), planted, t.plan().folds(), gap, target, cfg, pooled);
        double addsCopy = full - without.get("copy");
        double addsInformed = full - without.get("informed");
        assertThat(Math.abs(addsCopy)).as("a duplicate adds nothing (full %s, without it %s)", full, without.get("copy"))
                .isLessThan(0.002);
        assertThat(addsInformed).as("the unique signal adds most").isGreaterThan(0.05).isGreaterThan(addsCopy + 0.05);
    }

    private static long[] foldPredictions(Trained t, Stacking.LevelOne l, int fold) {
        return java.util.stream.IntStream.range(0, l.entries().length).filter(i -> t.oof().fold()[l.entries()[i]] == fold)
                .mapToLong(i -> Double.doubleToRawLongBits(l.prediction()[i])).toArray();
    }

    @Test
    void withoutAlphaEveryModelIsWithinNoiseOfZero() throws Exception {
        Trained t = trainOn(0.0, "none");
        TrainingOutput.Report r = t.report();
        Evaluation ens = t.ensemble().outOfSample().get(EnsembleReport.ENSEMBLE);
        assertThat(Math.abs(ens.rankIc())).as("ensemble rank IC %s, stderr %s", ens.rankIc(), ens.rankIcStderr())
                .isLessThanOrEqualTo(3 * ens.rankIcStderr());
        for (Map.Entry<String, TrainingOutput.ModelReport> e : r.models().entrySet()) {
            Evaluation o = e.getValue().outOfSample();
            assertThat(Math.abs(o.rankIc())).as("%s rank IC %s, stderr %s", e.getKey(), o.rankIc(), o.rankIcStderr())
                    .isLessThanOrEqualTo(3 * o.rankIcStderr());
        }
    }

    private static final Map<String, Trained> TRAINED = new java.util.concurrent.ConcurrentHashMap<>();

    private static Trained trainOn(double alphaIc, String name) throws Exception {
        Trained done = TRAINED.get(name);
        if (done != null) {
            return done;
        }
        // Two years of 30 equities: four walk-forward folds with nine months of training each.
        Path market = TestMarkets.of(SynthConfig.builder().symbols(30).start(LocalDate.of(2021, 1, 4))
                .end(LocalDate.of(2022, 12, 30)).seed(17).alphaIc(alphaIc).build());
        FeatureSetJob.Result set = FeatureSetJob.run(new FeatureSetJob.Request(market.resolve("bars"),
                FeatureSetSpec.defaultSpec(), dir.resolve(name + "-sets"), Universe.defaultUniverse(), "local[2]"));
        Dataset data = Dataset.load(set.dir());
        LinkedHashMap<String, TrainingConfig.ModelConfig> models = new LinkedHashMap<>();
        for (String model : List.of("xgboost", "lightgbm", "ridge")) {
            models.put(model, new TrainingConfig.ModelConfig(Map.of(), Map.of()));
        }
        TrainingConfig cfg = new TrainingConfig("label_fwd_1_excess", null, 42L, 2, 1, 5.0, null,
                new TrainingConfig.WalkForward(null, 9, 2, 3, 3, 26, 26), new TrainingConfig.Search(1, 10.0), models, null);
        TrainingRun.Plan plan = TrainingRun.plan(data, cfg, ModelTypes.trainers());
        assertThat(plan.folds()).hasSize(4);
        TrainingRun run = new TrainingRun(data, TrialRunner.sequential(), Progress.NONE);
        List<TrainingRun.FoldResult> results = run.run(plan);
        try {
            Path out = dir.resolve(name + "-train");
            TrainingOutput.Report report = TrainingOutput.write(out, data, plan, results,
                    TrainingJob.oracleByRow(data, market.resolve("oracle").resolve(OracleFile.FILE), 1));
            assertThat(out.resolve("report.json")).exists();
            assertThat(Files.readAllLines(out.resolve("oof").resolve("xgboost.csv")))
                    .hasSize(report.models().get("xgboost").outOfSample().rows() + 1);
            System.err.println(TrainingOutput.table(report));
            Stacking.Result stacked = Stacking.build(run, data, plan, results);
            try (var ensemble = stacked.ensemble()) {
                System.err.println(stacked.report().table());
                Trained t = new Trained(report, stacked.report(), data, plan,
                        Stacking.outOfFold(data.rows(), cfg.ensembleMembers(), results));
                TRAINED.put(name, t);
                return t;
            }
        } finally {
            results.forEach(r -> r.fitted().close());
        }
    }
}
