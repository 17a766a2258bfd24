package io.foresail.training.run;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.progress.Progress;
import io.foresail.models.FitRequest;
import io.foresail.models.Hyperparameters;
import io.foresail.models.Model;
import io.foresail.models.ModelTrainer;
import io.foresail.models.Trainer;
import io.foresail.models.sequence.SequenceTrainer;
import io.foresail.models.sequence.SequenceWindows;
import io.foresail.models.SearchSpace;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.training.data.Dataset;
import io.foresail.training.metrics.Evaluation;
import io.foresail.training.search.HyperparameterSearch;
import io.foresail.training.search.TrialRunner;
import io.foresail.training.split.BarRange;
import io.foresail.training.split.Fold;
import io.foresail.training.split.WalkForwardSplit;
import io.foresail.models.FitProvenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits the configured models over walk-forward folds: per fold and model, a hyperparameter search
 * scored by validation rank IC, a final fit with the best values (early-stopped on validation),
 * and predictions for the fold's test rows, which are never seen before. Every check runs in
 * {@link #plan} before the first fit.
 */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    /** What a run will do, checked: the folds, the resolved hyperparameters and spaces per model. */
    public record Plan(TrainingConfig config, List<Fold> folds, Map<String, Trainer> trainers,
                       Map<String, SearchSpace> spaces, Map<String, Hyperparameters> base) {
    }

    /**
     * One model's out-of-sample predictions on one fold's test rows, and what produced them. A
     * refit ({@code fold} -1) has no test rows and a null {@code test}.
     */
    public record FoldResult(String model, int fold, int[] rows, double[] prediction, Hyperparameters best,
                             List<HyperparameterSearch.Trial> trials, Evaluation test, Evaluation validation,
                             Model fitted) {
    }

    private final Dataset data;
    private final TrialRunner runner;
    private final Progress progress;

    public TrainingRun(Dataset data, TrialRunner runner, Progress progress) {
        this.data = data;
        io.foresail.training.data.DatasetCache.register(data);
        this.runner = runner;
        this.progress = progress;
    }

    /**
     * Resolves and checks everything a run needs.
     *
     * @throws InvalidInputException for an unknown model or hyperparameter, a target the set does
     *                               not have or that is all NaN, a purge shorter than its horizon,
     *                               or too little data for one fold
     */
    public static Plan plan(Dataset data, TrainingConfig config, Map<String, Trainer> available) {
        double[] target = data.label(config.target());
        long finite = java.util.Arrays.stream(target).filter(Double::isFinite).count();
        if (finite == 0) {
            throw new InvalidInputException("label " + config.target() + " of feature set " + data.featureSetId()
                    + " is NaN on every row; nothing to train on");
        }
        if (config.ensemble().passthroughTopK() > data.features().size()) {
            throw new InvalidInputException("ensemble.passthrough_top_k is " + config.ensemble().passthroughTopK()
                    + " but feature set " + data.featureSetId() + " has " + data.features().size() + " features");
        }
        WalkForwardSplit split = config.split();
        split.requirePurgeCovers(config.horizonBars(), config.target());
        List<Fold> folds = split.folds(data.times());
        Map<String, Trainer> trainers = new LinkedHashMap<>();
        Map<String, SearchSpace> spaces = new LinkedHashMap<>();
        Map<String, Hyperparameters> base = new LinkedHashMap<>();
        for (Map.Entry<String, TrainingConfig.ModelConfig> e : config.models().entrySet()) {
            Trainer t = available.get(e.getKey());
            if (t == null) {
                throw new InvalidInputException("unknown model '" + e.getKey() + "' in models; known: "
                        + String.join(", ", available.keySet()));
            }
            if (config.task() == Task.CLASSIFICATION && e.getKey().equals("ridge")) {
                throw new InvalidInputException("model ridge cannot fit the classification target " + config.target());
            }
            SearchSpace space = t.searchSpace();
            for (Map.Entry<String, List<Double>> r : e.getValue().search().entrySet()) {
                if (r.getValue().size() != 2 || r.getValue().get(0) > r.getValue().get(1)) {
                    throw new InvalidInputException("models." + e.getKey() + ".search." + r.getKey()
                            + " must be [low, high], got " + r.getValue());
                }
                space = space.withRange(r.getKey(), r.getValue().get(0), r.getValue().get(1));
            }
            trainers.put(e.getKey(), t);
            spaces.put(e.getKey(), space);
            base.put(e.getKey(), space.withOverrides(e.getValue().hyperparameters()));
        }
        for (Fold f : folds) {
            if (rowsWithLabel(data, f.train(), target).length < 100) {
                throw new InvalidInputException("fold " + f.index() + " has fewer than 100 training rows with a "
                        + config.target() + " label; lengthen train_months");
            }
        }
        return new Plan(config, folds, trainers, spaces, base);
    }

    /** Runs every fold and model; the caller owns (closes) the fitted models in the results. */
    public List<FoldResult> run(Plan plan) {
        List<FoldResult> out = new ArrayList<>();
        int step = 0;
        int steps = plan.folds().size() * plan.trainers().size();
        for (Fold fold : plan.folds()) {
            FoldContext c = prepare(plan, fold);
            try {
                for (String name : plan.trainers().keySet()) {
                    out.add(fitModel(plan, c, name, plan.spaces().get(name), plan.base().get(name),
                            plan.config().search().trials()));
                    progress.update("models", ++step, steps);
                }
            } finally {
                c.shared().release();
            }
        }
        return out;
    }

    /**
     * Refits the named models on {@link WalkForwardSplit#refitFold the refit window} (the most
     * recent training and validation months) with the given hyperparameters, no search: the
     * models a deployable ensemble is made of. The result's {@code test} is null (the window has
     * no test rows); its {@code validation} is scored on the window's validation rows. The caller
     * closes the fitted models.
     */
    public Map<String, FoldResult> refit(Plan plan, Map<String, Hyperparameters> chosen) {
        Fold fold = plan.config().split().refitFold(data.times());
        FoldContext c = prepare(plan, fold);
        Map<String, FoldResult> out = new LinkedHashMap<>();
        try {
            int step = 0;
            for (Map.Entry<String, Hyperparameters> e : chosen.entrySet()) {
                if (!plan.trainers().containsKey(e.getKey())) {
                    throw new InvalidInputException("cannot refit '" + e.getKey() + "': not a model of this run");
                }
                out.put(e.getKey(), fitModel(plan, c, e.getKey(), plan.spaces().get(e.getKey()), e.getValue(), 1));
                progress.update("refit", ++step, chosen.size());
            }
        } finally {
            c.shared().release();
        }
        return out;
    }

    /** A fold's rows and the shared trial data, built once for all its models. */
    private record FoldContext(Fold fold, int folds, TrialRunner.Shared<Trials.FoldData> shared, int[] validationRows,
                               int[] testRows, double[] target, double[] dayReturn) {
    }

    private FoldContext prepare(Plan plan, Fold fold) {
        TrainingConfig cfg = plan.config();
        double[] target = data.label(cfg.target());
        double[] dayReturn = data.labelNames().contains(cfg.dayReturn()) ? data.label(cfg.dayReturn()) : null;
        int[] trainRows = rowsWithLabel(data, fold.train(), target);
        int[] validationRows = rowsWithLabel(data, fold.validation(), target);
        int[] testRows = rowsWithLabel(data, fold.test(), target);
        TrainingData train = slice(data, trainRows, target);
        TrainingData validation = slice(data, validationRows, target);
        String what = fold.index() < 0 ? "refit" : "fold " + fold.index();
        LOG.info("{}: train {} rows ({} to {}), validation {} rows, test {} rows", what, trainRows.length,
                time(fold.train().from()), time(fold.train().to() - 1), validationRows.length, testRows.length);
        double[] validationLabel = new double[validationRows.length];
        long[] validationTs = new long[validationRows.length];
        int[] validationSymbol = new int[validationRows.length];
        for (int i = 0; i < validationRows.length; i++) {
            validationLabel[i] = target[validationRows[i]];
            validationTs[i] = data.ts()[validationRows[i]];
            validationSymbol[i] = data.symbol()[validationRows[i]];
        }
        FitRequest template = new FitRequest(train, validation, new FitProvenance(cfg.task(), new Hyperparameters(Map.of()),
                data.features(), cfg.target(), data.featureSetId(), time(fold.train().from()),
                time(fold.train().to() - 1), cfg.seed(), cfg.threads(), data.modelInputs()));
        Trials.SequenceFold sequences = plan.trainers().values().stream().anyMatch(t -> t instanceof SequenceTrainer)
                ? sequenceFold(trainRows, validationRows, target, cfg, template) : null;
        TrialRunner.Shared<Trials.FoldData> shared = runner.share(
                new Trials.FoldData(template, sequences, validationRows, validationTs, validationSymbol, validationLabel));
        return new FoldContext(fold, plan.folds().size(), shared, validationRows, testRows, target, dayReturn);
    }

    private FoldResult fitModel(Plan plan, FoldContext c, String name, SearchSpace space, Hyperparameters base,
                                int budget) {
        TrainingConfig cfg = plan.config();
        Fold fold = c.fold();
        HyperparameterSearch search = new HyperparameterSearch(space, base, budget,
                Duration.ofSeconds((long) (cfg.search().timeBudgetMinutes() * 60)), cfg.seed() + fold.index());
        // Trials return their models as artifact files; the best one is loaded, not fitted twice.
        Map<Hyperparameters, Trials.Outcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        String stage = (fold.index() < 0 ? "refit" : "fold " + (fold.index() + 1) + "/" + c.folds()) + " " + name
                + (budget > 1 ? " trials" : "");
        progress.update(stage, 0, budget);
        int[] done = {0};
        Trainer trainer = plan.trainers().get(name);
        // A distributed fit already occupies the cluster: its trials go one by one from the driver.
        TrialRunner trials = trainer.distributed() ? TrialRunner.sequential() : runner;
        TrialRunner.Shared<Trials.FoldData> shared = c.shared();
        HyperparameterSearch.Result searched = search.run(points -> {
            List<Trials.Outcome> o = trials.run(points, h -> Trials.fitAndScore(shared.get(), trainer, h));
            for (int i = 0; i < points.size(); i++) {
                outcomes.put(points.get(i), o.get(i));
            }
            done[0] += points.size();
            progress.update(stage, Math.min(budget, done[0]), budget);
            return Trials.scores(o);
        });
        Model fitted = Trials.load(outcomes.get(searched.best().hyperparameters()));
        int[] evaluated = c.testRows();
        int[] validated = c.validationRows();
        double[] p;
        double[] pv;
        if (trainer instanceof SequenceTrainer) {
            // A sequence model scores the rows with a full window of history; the first bars of a symbol have none.
            SequenceWindows windows = data.windows(cfg.sequenceLength());
            evaluated = java.util.stream.IntStream.of(evaluated).filter(windows::complete).toArray();
            if (evaluated.length < c.testRows().length) {
                LOG.info("fold {} {}: {} of {} test rows lack a full window and are not scored", fold.index(), name,
                        c.testRows().length - evaluated.length, c.testRows().length);
            }
            p = evaluated.length == 0 ? new double[0] : SequenceTrainer.predict(fitted, windows, evaluated);
            validated = shared.get().sequences().validationSamples();
            pv = SequenceTrainer.predict(fitted, windows, validated);
        } else {
            p = evaluated.length == 0 ? new double[0] : fitted.predict(data.x().select(evaluated));
            pv = fitted.predict(shared.get().request().validation().x());
        }
        Evaluation testEval = evaluated.length == 0 ? null : evaluate(evaluated, p, c.target(), c.dayReturn(), cfg);
        Evaluation validationEval = evaluate(validated, pv, c.target(), null, cfg);
        if (testEval == null) {
            LOG.info("refit {}: validation rank IC {}", name, fmt(validationEval.rankIc()));
        } else {
            LOG.info("fold {} {}: validation rank IC {}, test rank IC {} over {} bars", fold.index(), name,
                    fmt(validationEval.rankIc()), fmt(testEval.rankIc()), testEval.bars());
        }
        return new FoldResult(name, fold.index(), evaluated, p, searched.best().hyperparameters(), searched.trials(),
                testEval, validationEval, fitted);
    }

    /** The fold's sequence samples: its rows with a full window (history may precede the training window). */
    private Trials.SequenceFold sequenceFold(int[] trainRows, int[] validationRows, double[] target, TrainingConfig cfg,
                                             FitRequest template) {
        SequenceWindows windows = data.windows(cfg.sequenceLength());
        int[] train = java.util.stream.IntStream.of(trainRows).filter(windows::complete).toArray();
        int[] validation = java.util.stream.IntStream.of(validationRows).filter(windows::complete).toArray();
        return new Trials.SequenceFold(data.dir().toAbsolutePath().toString(), cfg.sequenceLength(), train,
                labels(train, target), validation, labels(validation, target), template);
    }

    private static float[] labels(int[] rows, double[] target) {
        float[] y = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = (float) target[rows[i]];
        }
        return y;
    }

    Evaluation evaluate(int[] rows, double[] prediction, double[] target, double[] dayReturn, TrainingConfig cfg) {
        return evaluate(data, rows, prediction, target, dayReturn, cfg.task() == Task.CLASSIFICATION, cfg.costBps());
    }

    /** Evaluates predictions for dataset {@code rows} (in dataset order) against {@code target}. */
    public static Evaluation evaluate(Dataset data, int[] rows, double[] prediction, double[] target, double[] dayReturn,
                               boolean classification, double costBps) {
        long[] ts = new long[rows.length];
        int[] sym = new int[rows.length];
        double[] y = new double[rows.length];
        double[] day = dayReturn == null ? null : new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            ts[i] = data.ts()[rows[i]];
            sym[i] = data.symbol()[rows[i]];
            y[i] = target[rows[i]];
            if (day != null) {
                day[i] = dayReturn[rows[i]];
            }
        }
        return Evaluation.of(ts, sym, prediction, y, day, classification, costBps);
    }

    /** The rows of bars in {@code range} with a finite {@code label}, as training data (a copy). */
    public static TrainingData trainingData(Dataset data, BarRange range, double[] label) {
        return slice(data, rowsWithLabel(data, range, label), label);
    }

    private static TrainingData slice(Dataset data, int[] rows, double[] target) {
        return new TrainingData(data.x().select(rows), labels(rows, target));
    }

    /** The rows of bars in {@code range} whose label is finite, in dataset order. */
    static int[] rowsWithLabel(Dataset data, BarRange range, double[] label) {
        int from = data.firstRowOfBar(range.from());
        int to = data.firstRowOfBar(range.to());
        return java.util.stream.IntStream.range(from, to).filter(i -> Double.isFinite(label[i])).toArray();
    }

    private String time(int bar) {
        return Instant.EPOCH.plusNanos(data.times()[Math.min(bar, data.times().length - 1)] * 1000).toString();
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
