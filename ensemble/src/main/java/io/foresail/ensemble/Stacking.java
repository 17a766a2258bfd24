package io.foresail.ensemble;

import io.foresail.models.stacked.MetaLearner;
import io.foresail.models.stacked.StackedEnsemble;
import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Hyperparameters;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.Task;
import io.foresail.training.data.Dataset;
import io.foresail.training.metrics.Evaluation;
import io.foresail.training.run.TrainingConfig;
import io.foresail.training.run.TrainingRun;
import io.foresail.training.split.Fold;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Builds a {@link StackedEnsemble} from a training run (docs/ensemble.md):
 * <ol>
 *   <li>the members' out-of-fold predictions, from each walk-forward fold's test rows, on the rows
 *       every member scored;</li>
 *   <li>a level-1 walk-forward over those folds, for the honest {@link EnsembleReport};</li>
 *   <li>the final meta-learner, fitted only on out-of-fold predictions (all folds);</li>
 *   <li>the members refit on the most recent window with their last fold's hyperparameters
 *       ({@link TrainingRun#refit}): what gets deployed.</li>
 * </ol>
 */
public final class Stacking {
    private static final Logger LOG = LoggerFactory.getLogger(Stacking.class);

    /**
     * The ensemble (the caller closes it), its report, and its level-1 walk-forward predictions:
     * the ensemble's honest out-of-sample scores, one per dataset row in {@code rows}, with the
     * fold that scored it.
     */
    public record Result(StackedEnsemble ensemble, EnsembleReport report, int[] rows, int[] fold, double[] prediction) {
    }

    /**
     * The level-1 walk-forward: the ensemble's predictions on the scored out-of-fold entries
     * ({@code entries} index {@link OutOfFold#rows}), the per-fold scores, and pooled evaluations
     * of each member and the ensemble on those same rows (empty with fewer than two folds).
     */
    public record LevelOne(int[] entries, double[] prediction, List<EnsembleReport.FoldScores> folds,
                           Map<String, Evaluation> pooled) {
    }

    /** Out-of-fold predictions of each member on the rows all of them scored, in dataset order. */
    public record OutOfFold(List<String> members, int[] rows, int[] fold, double[][] predictions) {
        /** The same rows without member {@code m}: what the ensemble would have been without it. */
        public OutOfFold without(int m) {
            List<String> names = new ArrayList<>(members);
            names.remove(m);
            double[][] kept = new double[members.size() - 1][];
            for (int i = 0, j = 0; i < members.size(); i++) {
                if (i != m) {
                    kept[j++] = predictions[i];
                }
            }
            return new OutOfFold(List.copyOf(names), rows, fold, kept);
        }

    }

    private Stacking() {
    }

    /**
     * Stacks the configured members of a finished run.
     *
     * @param run     the run that produced {@code results} (it refits the members)
     * @param results every fold's results; their models are not closed here
     */
    public static Result build(TrainingRun run, Dataset data, TrainingRun.Plan plan, List<TrainingRun.FoldResult> results) {
        TrainingConfig cfg = plan.config();
        List<String> members = cfg.ensembleMembers();
        OutOfFold oof = outOfFold(data.rows(), members, results);
        double[] target = data.label(cfg.target());
        double[] dayReturn = data.labelNames().contains(cfg.dayReturn()) ? data.label(cfg.dayReturn()) : null;
        TrainingConfig.Ensemble spec = cfg.ensemble();
        int gap = cfg.split().purgeBars() + cfg.split().embargoBars();

        LevelOne levelOne = levelOneWalkForward(data, oof, plan.folds(), gap, target, dayReturn, cfg);
        Map<String, Evaluation> pooled = levelOne.pooled();
        Map<String, Double> without = withoutEachMember(data, oof, plan.folds(), gap, target, cfg, pooled);

        int[] all = IntStream.range(0, oof.rows().length).toArray();
        int[] passthrough = topFeatures(data.x(), oof.rows(), target, spec.passthroughTopK());
        MetaLearner meta = fitMeta(data, oof, all, passthrough, target, cfg);
        LOG.info("meta-learner on {} out-of-fold rows: {}", all.length, meta);

        Map<String, Hyperparameters> chosen = new LinkedHashMap<>();
        int lastFold = plan.folds().get(plan.folds().size() - 1).index();
        for (String m : members) {
            results.stream().filter(r -> r.model().equals(m) && r.fold() == lastFold).findFirst()
                    .ifPresent(r -> chosen.put(m, r.best()));
        }
        Map<String, TrainingRun.FoldResult> refit = run.refit(plan, chosen);
        List<Model> models = new ArrayList<>();
        refit.values().forEach(r -> models.add(r.fitted()));
        try {
            List<StackedEnsemble.MemberEntry> entries = new ArrayList<>();
            Map<String, EnsembleReport.RefitMember> refitReport = new LinkedHashMap<>();
            for (String m : members) {
                TrainingRun.FoldResult r = refit.get(m);
                ModelCard c = r.fitted().card();
                Evaluation e = pooled.get(m);
                entries.add(new StackedEnsemble.MemberEntry(m, c.type(), "members/" + m, c.sequenceLength(),
                        e == null ? null : e.rankIc()));
                refitReport.put(m, new EnsembleReport.RefitMember(c.trainFrom(), c.trainTo(), r.best().values(),
                        r.validation().rankIc()));
            }
            List<String> passthroughNames = Arrays.stream(passthrough).mapToObj(data.features()::get).toList();
            StackedEnsemble.Manifest manifest = new StackedEnsemble.Manifest(StackedEnsemble.MANIFEST_FORMAT, entries,
                    passthroughNames, meta);
            StackedEnsemble ensemble = new StackedEnsemble(card(data, cfg, models, pooled), manifest, models);
            EnsembleReport report = new EnsembleReport(members, passthroughNames, meta, all.length, levelOne.folds(), pooled,
                    without, refitReport);
            int[] scoredRows = select(oof.rows(), levelOne.entries());
            int[] scoredFold = select(oof.fold(), levelOne.entries());
            return new Result(ensemble, report, scoredRows, scoredFold, levelOne.prediction());
        } catch (RuntimeException e) {
            models.forEach(Model::close);
            throw e;
        }
    }

    /**
     * What each member adds: the pooled level-1 rank IC of the ensemble without it, by the same
     * walk-forward on the same rows (so the difference to the full ensemble is the member's
     * marginal contribution, out of sample). Empty when the ensemble was not scored or has one member.
     */
    public static Map<String, Double> withoutEachMember(Dataset data, OutOfFold oof, List<Fold> folds, int gap, double[] target,
                                                 TrainingConfig cfg, Map<String, Evaluation> pooled) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (oof.members().size() < 2 || !pooled.containsKey(EnsembleReport.ENSEMBLE)) {
            return out;
        }
        for (int m = 0; m < oof.members().size(); m++) {
            Evaluation e = levelOneWalkForward(data, oof.without(m), folds, gap, target, null, cfg).pooled()
                    .get(EnsembleReport.ENSEMBLE);
            out.put(oof.members().get(m), e == null ? Double.NaN : e.rankIc());
        }
        LOG.info("level-1 rank IC without each member: {}", out);
        return out;
    }

    /**
     * The members' predictions on each fold's test rows, kept where every member scored the row
     * (sequence members skip rows without a full window of history).
     */
    public static OutOfFold outOfFold(int datasetRows, List<String> members, List<TrainingRun.FoldResult> results) {
        double[][] byRow = new double[members.size()][datasetRows];
        int[] foldOf = new int[datasetRows];
        Arrays.fill(foldOf, -1);
        for (int m = 0; m < members.size(); m++) {
            Arrays.fill(byRow[m], Double.NaN);
            boolean any = false;
            for (TrainingRun.FoldResult r : results) {
                if (!r.model().equals(members.get(m))) {
                    continue;
                }
                any = true;
                for (int i = 0; i < r.rows().length; i++) {
                    byRow[m][r.rows()[i]] = r.prediction()[i];
                    foldOf[r.rows()[i]] = r.fold();
                }
            }
            if (!any) {
                throw new InvalidInputException("ensemble member '" + members.get(m) + "' has no fold results");
            }
        }
        int[] rows = IntStream.range(0, datasetRows).filter(row -> {
            for (double[] p : byRow) {
                if (!Double.isFinite(p[row])) {
                    return false;
                }
            }
            return true;
        }).toArray();
        if (rows.length == 0) {
            throw new InvalidInputException("no row has an out-of-fold prediction from every ensemble member " + members);
        }
        double[][] predictions = new double[members.size()][];
        for (int m = 0; m < members.size(); m++) {
            predictions[m] = select(byRow[m], rows);
        }
        return new OutOfFold(List.copyOf(members), rows, select(foldOf, rows), predictions);
    }

    /**
     * Scores the ensemble fold by fold without look-ahead: fold k's meta-learner sees only the
     * out-of-fold rows of earlier folds whose bar lies at least {@code gapBars} before fold k's
     * test window, and {@code target} is read only on those rows and on fold k's (for scoring).
     */
    public static LevelOne levelOneWalkForward(Dataset data, OutOfFold oof, List<Fold> folds, int gapBars,
                                               double[] target, double[] dayReturn, TrainingConfig cfg) {
        List<EnsembleReport.FoldScores> foldScores = new ArrayList<>();
        int n = oof.rows().length;
        List<Integer> scoredRows = new ArrayList<>();
        List<Double> scoredPrediction = new ArrayList<>();
        boolean classification = cfg.task() == Task.CLASSIFICATION;
        for (Fold fold : folds.subList(Math.min(1, folds.size()), folds.size())) {
            int testFromBar = fold.test().from();
            int[] train = IntStream.range(0, n).filter(i -> oof.fold()[i] < fold.index()
                    && data.barOf()[oof.rows()[i]] < testFromBar - gapBars).toArray();
            int[] test = IntStream.range(0, n).filter(i -> oof.fold()[i] == fold.index()).toArray();
            int inputs = oof.members().size() + cfg.ensemble().passthroughTopK();
            if (test.length == 0 || train.length < inputs + 2) {
                // Too little earlier data to fit a meta-learner: the fold is left unscored, never scored in-sample.
                LOG.warn("level-1 fold {} not scored: {} earlier out-of-fold rows for {} inputs, {} rows to score",
                        fold.index(), train.length, inputs, test.length);
                continue;
            }
            int[] passthrough = topFeatures(data.x(), select(oof.rows(), train), target, cfg.ensemble().passthroughTopK());
            MetaLearner meta = fitMeta(data, oof, train, passthrough, target, cfg);
            double[] p = meta.predict(columns(data, oof, test, passthrough), test.length);
            int[] rows = select(oof.rows(), test);
            Map<String, Double> ic = new LinkedHashMap<>();
            for (int m = 0; m < oof.members().size(); m++) {
                ic.put(oof.members().get(m), TrainingRun.evaluate(data, rows, select(oof.predictions()[m], test), target,
                        null, classification, cfg.costBps()).rankIc());
            }
            ic.put(EnsembleReport.ENSEMBLE, TrainingRun.evaluate(data, rows, p, target, null, classification,
                    cfg.costBps()).rankIc());
            foldScores.add(new EnsembleReport.FoldScores(fold.index(), test.length, train.length, ic));
            for (int i = 0; i < test.length; i++) {
                scoredRows.add(test[i]);
                scoredPrediction.add(p[i]);
            }
            LOG.info("level-1 fold {}: meta-learner on {} earlier rows, rank IC {}", fold.index(), train.length, ic);
        }
        Map<String, Evaluation> pooled = new LinkedHashMap<>();
        int[] idx = scoredRows.stream().mapToInt(Integer::intValue).toArray();
        double[] prediction = scoredPrediction.stream().mapToDouble(Double::doubleValue).toArray();
        if (idx.length == 0) {
            return new LevelOne(idx, prediction, foldScores, pooled);
        }
        int[] rows = select(oof.rows(), idx);
        for (int m = 0; m < oof.members().size(); m++) {
            pooled.put(oof.members().get(m), TrainingRun.evaluate(data, rows, select(oof.predictions()[m], idx), target,
                    dayReturn, classification, cfg.costBps()));
        }
        pooled.put(EnsembleReport.ENSEMBLE, TrainingRun.evaluate(data, rows, prediction, target, dayReturn,
                classification, cfg.costBps()));
        return new LevelOne(idx, prediction, foldScores, pooled);
    }

    private static MetaLearner fitMeta(Dataset data, OutOfFold oof, int[] idx, int[] passthrough, double[] target,
                                       TrainingConfig cfg) {
        List<String> inputs = new ArrayList<>(oof.members());
        Arrays.stream(passthrough).mapToObj(data.features()::get).forEach(inputs::add);
        double[] y = select(target, select(oof.rows(), idx));
        return MetaLearner.fit(inputs, columns(data, oof, idx, passthrough), y, oof.members().size(), cfg.task(),
                cfg.ensemble().alpha(), cfg.ensemble().nonNegative());
    }

    /** The meta-learner's inputs for out-of-fold entries {@code idx}: member predictions, then passthrough features. */
    private static double[][] columns(Dataset data, OutOfFold oof, int[] idx, int[] passthrough) {
        double[][] c = new double[oof.members().size() + passthrough.length][];
        for (int m = 0; m < oof.members().size(); m++) {
            c[m] = select(oof.predictions()[m], idx);
        }
        FeatureMatrix x = data.x();
        for (int j = 0; j < passthrough.length; j++) {
            double[] v = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                v[i] = x.get(oof.rows()[idx[i]], passthrough[j]);
            }
            c[oof.members().size() + j] = v;
        }
        return c;
    }

    /**
     * The {@code k} feature columns with the largest absolute Pearson correlation to the target on
     * {@code rows} (missing values count as the column's mean), by column index; ties go to the
     * earlier column.
     */
    public static int[] topFeatures(FeatureMatrix x, int[] rows, double[] target, int k) {
        if (k == 0) {
            return new int[0];
        }
        if (k > x.cols()) {
            throw new InvalidInputException("ensemble.passthrough_top_k is " + k + " but the feature set has "
                    + x.cols() + " features");
        }
        int p = x.cols();
        double[] sum = new double[p];
        double[] count = new double[p];
        double yMean = 0;
        for (int row : rows) {
            yMean += target[row];
            for (int j = 0; j < p; j++) {
                float v = x.get(row, j);
                if (!Float.isNaN(v)) {
                    sum[j] += v;
                    count[j]++;
                }
            }
        }
        yMean /= rows.length;
        double[] mean = new double[p];
        for (int j = 0; j < p; j++) {
            mean[j] = count[j] == 0 ? 0 : sum[j] / count[j];
        }
        double[] sxy = new double[p];
        double[] sxx = new double[p];
        double syy = 0;
        for (int row : rows) {
            double dy = target[row] - yMean;
            syy += dy * dy;
            for (int j = 0; j < p; j++) {
                float v = x.get(row, j);
                if (!Float.isNaN(v)) {
                    double dx = v - mean[j];
                    sxy[j] += dx * dy;
                    sxx[j] += dx * dx;
                }
            }
        }
        double[] score = new double[p];
        for (int j = 0; j < p; j++) {
            score[j] = sxx[j] > 0 && syy > 0 ? Math.abs(sxy[j] / Math.sqrt(sxx[j] * syy)) : 0;
        }
        return IntStream.range(0, p).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> -score[j]).thenComparingInt(j -> j))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }

    private static ModelCard card(Dataset data, TrainingConfig cfg, List<Model> members, Map<String, Evaluation> pooled) {
        int length = members.stream().mapToInt(m -> m.card().sequenceLength()).max().orElse(0);
        String from = members.stream().map(m -> m.card().trainFrom()).min(Comparator.naturalOrder()).orElseThrow();
        String to = members.stream().map(m -> m.card().trainTo()).max(Comparator.naturalOrder()).orElseThrow();
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alpha", cfg.ensemble().alpha());
        h.put("non_negative", cfg.ensemble().nonNegative());
        h.put("passthrough_top_k", cfg.ensemble().passthroughTopK());
        Map<String, Double> metrics = new LinkedHashMap<>();
        pooled.forEach((name, e) -> metrics.put(EnsembleReport.ENSEMBLE.equals(name) ? "oos_rank_ic"
                : "oos_rank_ic_" + name, e.rankIc()));
        Evaluation ens = pooled.get(EnsembleReport.ENSEMBLE);
        if (ens != null) {
            metrics.put("oos_rank_ic_stderr", ens.rankIcStderr());
            metrics.put("oos_sharpe_net", ens.sharpeNet());
        }
        Map<String, String> attributes = Map.of(StackedEnsemble.MEMBERS_ATTRIBUTE, String.join(",", cfg.ensembleMembers()));
        return new ModelCard(ModelCard.FORMAT, StackedEnsemble.TYPE, cfg.task(), data.featureSetId(), data.features(),
                length, cfg.target(), h, from, to, metrics, cfg.seed(), cfg.threads(), List.of(), attributes, data.modelInputs());
    }

    private static int[] select(int[] values, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }

    private static double[] select(double[] values, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }
}
