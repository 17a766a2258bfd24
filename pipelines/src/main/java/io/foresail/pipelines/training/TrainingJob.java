package io.foresail.pipelines.training;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.progress.Progress;
import io.foresail.data.synth.OracleFile;
import io.foresail.ensemble.EnsembleReport;
import io.foresail.ensemble.Stacking;
import io.foresail.models.ModelTypes;
import io.foresail.models.Trainer;
import io.foresail.models.gbm.XGBoostTrainer;
import io.foresail.registry.ModelCache;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import io.foresail.registry.mlflow.MlflowTracking;
import io.foresail.training.data.Dataset;
import io.foresail.training.run.TrainingConfig;
import io.foresail.training.run.TrainingOutput;
import io.foresail.training.run.TrainingRun;
import io.foresail.training.search.TrialRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The training job: walk-forward training of the configured models on a feature set, stacking into
 * one ensemble refit on the latest window, the reports and plots, and, when asked, the MLflow run
 * and a new registered version aliased {@code challenger}. What {@code foresail train}, the
 * quickstart and a scheduler call; they only build a {@link Request} and show the {@link Result}.
 *
 * <p>Errors name the command-line option a value came from ({@code --out}, {@code --register}), the
 * vocabulary of the people who read them. Every check on the request runs before the data is loaded, and the MLflow server must answer
 * before the first fit, so a mistake costs seconds, not hours. Every fitted model is closed before
 * {@link #run} returns, on success or failure.
 */
public final class TrainingJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingJob.class);

    private TrainingJob() {
    }

    /** Where the ensemble is registered: a model name on a tracking server, in an experiment. */
    public record Registration(String modelName, MlflowEndpoint endpoint, String experiment, Path cache) {
        public Registration {
            Objects.requireNonNull(modelName, "modelName");
            Objects.requireNonNull(endpoint, "endpoint");
            experiment = experiment == null ? "foresail-training" : experiment;
            cache = cache == null ? Path.of("work", "model-cache") : cache;
        }
    }

    /**
     * What to train. Build it with {@link #builder}.
     *
     * @param oracle      the synthetic market's {@code oracle.parquet}, reported beside each model; or null
     * @param master      Spark master of the trials; null for local Spark sized by the config's threads
     * @param spark       trials as Spark tasks (true) or on local threads (the config's parallelism)
     * @param distributed XGBoost fits spread over the Spark cluster (xgboost4j-spark)
     * @param workers     workers of a distributed fit; null for every task slot
     * @param ensemble    stack the members into one ensemble and refit it
     * @param registration where to register the ensemble; null to register nothing
     */
    public record Request(Path features, Path out, TrainingConfig config, Path oracle, String master, boolean spark,
                          boolean distributed, Integer workers, boolean ensemble, Registration registration) {
        public Request {
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(config, "config");
            if (distributed && !spark) {
                throw new InvalidInputException("--distributed needs Spark; drop --no-spark");
            }
            if (workers != null && !distributed) {
                throw new InvalidInputException("--workers applies to --distributed only");
            }
            if (workers != null && workers < 1) {
                throw new InvalidInputException("--workers must be at least 1, got " + workers);
            }
            if (registration != null && !ensemble) {
                throw new InvalidInputException("--register registers the stacked ensemble; drop --no-ensemble");
            }
            if (oracle != null && !Files.isRegularFile(oracle)) {
                throw new InvalidInputException("--oracle " + oracle + ": file not found");
            }
        }

        public static Builder builder(Path features, Path out) {
            return new Builder(features, out);
        }
    }

    /** Builds a {@link Request}: local Spark, the embedded config, an ensemble, no registration by default. */
    public static final class Builder {
        private final Path features;
        private final Path out;
        private TrainingConfig config = TrainingConfig.defaults();
        private Integer trials;
        private Path oracle;
        private String master;
        private boolean spark = true;
        private boolean distributed;
        private Integer workers;
        private boolean ensemble = true;
        private Registration registration;

        private Builder(Path features, Path out) {
            this.features = features;
            this.out = out;
        }

        public Builder config(TrainingConfig c) {
            this.config = Objects.requireNonNull(c, "config");
            return this;
        }

        /** Trials per model and fold, replacing the config's {@code search.trials} (1 = the configured values only). */
        public Builder trials(Integer n) {
            this.trials = n;
            return this;
        }

        public Builder oracle(Path file) {
            this.oracle = file;
            return this;
        }

        public Builder master(String m) {
            this.master = m;
            return this;
        }

        /** Trials on local threads instead of Spark tasks. */
        public Builder localThreads(boolean local) {
            this.spark = !local;
            return this;
        }

        public Builder distributed(boolean d, Integer workerCount) {
            this.distributed = d;
            this.workers = workerCount;
            return this;
        }

        public Builder ensemble(boolean e) {
            this.ensemble = e;
            return this;
        }

        public Builder register(Registration r) {
            this.registration = r;
            return this;
        }

        public Request build() {
            TrainingConfig c = trials == null ? config
                    : config.withSearch(new TrainingConfig.Search(trials, config.search().timeBudgetMinutes()));
            return new Request(features, out, c, oracle, master, spark, distributed, workers, ensemble, registration);
        }
    }

    /**
     * What the job made.
     *
     * @param ensembleReport null without an ensemble
     * @param ensembleDir    the saved ensemble artifact; null without an ensemble
     * @param registered     the MLflow run and version; null without registration
     */
    public record Result(Path out, TrainingOutput.Report report, EnsembleReport ensembleReport, Path ensembleDir,
                         TrainingRegistration.Outcome registered, double seconds) {
    }

    /**
     * Runs the job.
     *
     * @param progress trial progress
     * @param notes    one line per milestone (what runs where), for a console or a log
     * @throws InvalidInputException when the output is not empty, the feature set or config is
     *                               invalid, or the tracking server does not answer
     */
    public static Result run(Request r, Progress progress, Consumer<String> notes) throws IOException {
        long t0 = System.nanoTime();
        requireEmpty(r.out());
        TrainingConfig cfg = r.config();
        Registrar registrar = null;
        if (r.registration() != null) {
            // Fail before hours of training, not after: the server must answer now.
            Registration reg = r.registration();
            MlflowModelRegistry registry = new MlflowModelRegistry(MlflowClient.of(reg.endpoint()), new ModelCache(reg.cache()));
            registrar = new Registrar(registry, new MlflowTracking(registry.client()).experiment(reg.experiment()));
            notes.accept(String.format(Locale.ROOT, "will register the ensemble as %s on %s (experiment %s)",
                    reg.modelName(), reg.endpoint().uri(), reg.experiment()));
        }
        Dataset data = Dataset.load(r.features());
        TrainingRun.Plan plan = TrainingRun.plan(data, cfg, ModelTypes.trainers());
        notes.accept(String.format(Locale.ROOT, "training %s on %s: %d rows, %d features, %d folds, models %s, %d trials each (loaded in %.1f s)",
                cfg.target(), data.featureSetId(), data.rows(), data.features().size(), plan.folds().size(),
                plan.trainers().keySet(), cfg.search().trials(), (System.nanoTime() - t0) / 1e9));
        try (Trained trained = train(r, data, plan, progress, notes)) {
            TrainingOutput.Report report = TrainingOutput.write(r.out(), data, trained.plan(), trained.results(),
                    r.oracle() == null ? null : oracleByRow(data, r.oracle(), cfg.horizonBars()));
            if (trained.stacked() == null) {
                return new Result(r.out(), report, null, null, null, (System.nanoTime() - t0) / 1e9);
            }
            EnsembleReport er = trained.stacked().report();
            Path ensembleDir = r.out().resolve("ensemble");
            trained.stacked().ensemble().save(ensembleDir);
            CodeVersion code = CodeVersion.detect();
            io.foresail.models.ModelProvenance.here(code.version(), code.gitCommit(), code.dirty()).writeTo(ensembleDir);
            er.write(r.out());
            Stacking.Result st = trained.stacked();
            // The level-1 walk-forward's scores: what backtest --oof replays as the ensemble's honest history.
            TrainingOutput.writeOutOfFold(r.out().resolve("oof").resolve(EnsembleReport.ENSEMBLE + ".csv"), data,
                    st.rows(), st.fold(), st.prediction(), data.label(cfg.target()));
            TrainingPlots.write(r.out().resolve("plots"), report, er, trained.stacked().ensemble());
            TrainingRegistration.Outcome registered = null;
            if (registrar != null) {
                Registration reg = r.registration();
                registered = TrainingRegistration.register(registrar.registry(), reg.endpoint(), registrar.experimentId(),
                        reg.modelName(), r.out(), ensembleDir, data, cfg, report, er, code);
                LOG.info("registered {} version {} (run {})", reg.modelName(), registered.version().version(), registered.runId());
            }
            return new Result(r.out(), report, er, ensembleDir, registered, (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * The synthetic market's expected return over the target's horizon for every dataset row (NaN
     * where it has none): the oracle the report sets beside each model.
     *
     * @param horizonBars bars the target looks ahead (1 for the next bar's return)
     */
    public static double[] oracleByRow(Dataset data, Path file, int horizonBars) {
        Map<String, OracleFile.Series> oracle = OracleFile.read(file);
        double[] out = new double[data.rows()];
        Arrays.fill(out, Double.NaN);
        for (int row = 0; row < data.rows(); row++) {
            OracleFile.Series s = oracle.get(data.symbols().get(data.symbol()[row]));
            if (s != null) {
                int i = Arrays.binarySearch(s.tsMicros(), data.ts()[row]);
                if (i >= 0) {
                    // The next bar's value is exact (drift included); longer horizons are first-order.
                    out[row] = horizonBars == 1 ? s.expectedReturn()[i] : s.expectedOver(i, horizonBars);
                }
            }
        }
        return out;
    }

    private static void requireEmpty(Path out) throws IOException {
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new InvalidInputException("--out " + out + " is not empty; training never overwrites results");
                }
            }
        }
    }

    private record Registrar(MlflowModelRegistry registry, String experimentId) {
    }

    /** The plan as run, the fold results and the stacked ensemble (null without one); closing closes every model. */
    private record Trained(TrainingRun.Plan plan, List<TrainingRun.FoldResult> results, Stacking.Result stacked)
            implements AutoCloseable {
        @Override
        public void close() {
            RuntimeException first = null;
            for (TrainingRun.FoldResult f : results) {
                try {
                    f.fitted().close();
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            if (stacked != null) {
                stacked.ensemble().close();
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private static Trained train(Request r, Dataset data, TrainingRun.Plan plan, Progress progress, Consumer<String> notes) {
        TrainingConfig cfg = r.config();
        if (!r.spark()) {
            return fitAndStack(r, new TrainingRun(data, TrialRunner.local(cfg.parallelism()), progress), data, plan);
        }
        String master = r.master() != null ? r.master() : SparkTrialRunner.localMaster(cfg.threads());
        try (SparkTrialRunner spark = SparkTrialRunner.start(master)) {
            notes.accept("trials run as Spark tasks on " + master);
            if (r.distributed() && plan.trainers().containsKey(XGBoostTrainer.TYPE)) {
                DistributedXGBoostTrainer xgb = new DistributedXGBoostTrainer(spark.session(),
                        r.workers() != null ? r.workers() : spark.session().sparkContext().defaultParallelism());
                Map<String, Trainer> trainers = ModelTypes.trainers();
                trainers.put(XGBoostTrainer.TYPE, xgb);
                plan = TrainingRun.plan(data, cfg, trainers);
                notes.accept("xgboost fits are distributed over " + xgb.workers() + " workers");
            }
            return fitAndStack(r, new TrainingRun(data, spark, progress), data, plan);
        }
    }

    private static Trained fitAndStack(Request r, TrainingRun run, Dataset data, TrainingRun.Plan plan) {
        List<TrainingRun.FoldResult> results = run.run(plan);
        if (!r.ensemble()) {
            return new Trained(plan, results, null);
        }
        try {
            return new Trained(plan, results, Stacking.build(run, data, plan, results));
        } catch (RuntimeException e) {
            results.forEach(f -> f.fitted().close());
            throw e;
        }
    }
}
