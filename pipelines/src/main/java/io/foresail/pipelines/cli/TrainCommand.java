package io.foresail.pipelines.cli;

import io.foresail.core.error.InvalidInputException;
import io.foresail.ensemble.EnsembleReport;
import io.foresail.ensemble.Stacking;
import io.foresail.models.Trainer;
import io.foresail.models.gbm.XGBoostTrainer;
import io.foresail.pipelines.training.CodeVersion;
import io.foresail.pipelines.training.DistributedXGBoostTrainer;
import io.foresail.pipelines.training.SparkTrialRunner;
import io.foresail.pipelines.training.TrainingPlots;
import io.foresail.pipelines.training.TrainingRegistration;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code foresail train}: walk-forward training of the configured models on a feature set. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the configured models over walk-forward folds, stack them into one ensemble refit on the latest window; writes models, out-of-fold predictions, reports and plots, and with --register records it all in MLflow.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--features", required = true, description = "Feature set directory ROOT/<name>/<id>.")
    Path features;
    @Option(names = "--config", description = "Training YAML (default: the embedded config/training.yaml).")
    Path config;
    @Option(names = "--out", required = true, description = "Output directory (must not exist, or be empty).")
    Path out;
    @Option(names = "--oracle", description = "The synthetic market's oracle.parquet: report its IC on the same rows.")
    Path oracle;
    @Option(names = "--master", description = "Spark master for the trials (default: local, cores / threads tasks at once).")
    String master;
    @Option(names = "--no-spark", description = "Run trials on local threads (config 'parallelism') instead of Spark tasks.")
    boolean noSpark;
    @Option(names = "--distributed", description = "Fit XGBoost across the Spark cluster (xgboost4j-spark); its trials then run one by one.")
    boolean distributed;
    @Option(names = "--workers", description = "Workers of a distributed XGBoost fit (default: every task slot of the master).")
    Integer workers;
    @Option(names = "--register", paramLabel = "NAME", description = "Log the run to MLflow (MLFLOW_TRACKING_URI), register the stacked ensemble as a new version of NAME and alias it 'challenger'.")
    String register;
    @picocli.CommandLine.Mixin
    TrackingServer tracking;
    @Option(names = "--experiment", defaultValue = "foresail-training", description = "MLflow experiment of the run (default ${DEFAULT-VALUE}).")
    String experiment;
    @Option(names = "--trials", description = "Trials per model and fold, replacing the config's search.trials (1 = the configured values only).")
    Integer trials;
    @Option(names = "--cache", defaultValue = "work/model-cache", hidden = true, description = "Local cache of verified versions.")
    Path cache;
    @Option(names = "--no-ensemble", description = "Skip stacking and the refit (not with --register).")
    boolean noEnsemble;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainingConfig cfg = TrainingConfig.loadOrDefault(config);
        if (trials != null) {
            cfg = cfg.withSearch(new TrainingConfig.Search(trials, cfg.search().timeBudgetMinutes()));
        }
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new InvalidInputException("--out " + out + " is not empty; training never overwrites results");
                }
            }
        }
        if (distributed && noSpark) {
            throw new InvalidInputException("--distributed needs Spark; drop --no-spark");
        }
        if (workers != null && !distributed) {
            throw new InvalidInputException("--workers applies to --distributed only");
        }
        if (register != null && noEnsemble) {
            throw new InvalidInputException("--register registers the stacked ensemble; drop --no-ensemble");
        }
        if (oracle != null && !Files.isRegularFile(oracle)) {
            throw new InvalidInputException("--oracle " + oracle + ": file not found");
        }
        MlflowEndpoint endpoint = tracking.endpoint();
        MlflowModelRegistry registry = null;
        String experimentId = null;
        if (register != null) {
            // Fail before hours of training, not after: the server must answer now.
            registry = new MlflowModelRegistry(MlflowClient.of(endpoint), new ModelCache(cache));
            experimentId = new MlflowTracking(registry.client()).experiment(experiment);
            err.printf(Locale.ROOT, "will register the ensemble as %s on %s (experiment %s)%n", register, endpoint.uri(), experiment);
        }
        long t0 = System.nanoTime();
        Dataset data = Dataset.load(features);
        TrainingRun.Plan plan = TrainingRun.plan(data, cfg, TrainingRun.standardTrainers());
        err.printf(Locale.ROOT, "training %s on %s: %d rows, %d features, %d folds, models %s, %d trials each (loaded in %.1f s)%n",
                cfg.target(), data.featureSetId(), data.rows(), data.features().size(), plan.folds().size(),
                plan.trainers().keySet(), cfg.search().trials(), (System.nanoTime() - t0) / 1e9);
        err.flush();
        Trained trained;
        if (noSpark) {
            trained = train(new TrainingRun(data, TrialRunner.local(cfg.parallelism()), new ConsoleProgress(System.err)), data, plan);
        } else {
            String m = master != null ? master : SparkTrialRunner.localMaster(cfg.threads());
            try (SparkTrialRunner spark = SparkTrialRunner.start(m)) {
                err.printf(Locale.ROOT, "trials run as Spark tasks on %s%n", m);
                if (distributed && plan.trainers().containsKey(XGBoostTrainer.TYPE)) {
                    DistributedXGBoostTrainer xgb = new DistributedXGBoostTrainer(spark.session(),
                            workers != null ? workers : spark.session().sparkContext().defaultParallelism());
                    Map<String, Trainer> trainers = TrainingRun.standardTrainers();
                    trainers.put(XGBoostTrainer.TYPE, xgb);
                    plan = TrainingRun.plan(data, cfg, trainers);
                    err.printf(Locale.ROOT, "xgboost fits are distributed over %d workers%n", xgb.workers());
                }
                err.flush();
                trained = train(new TrainingRun(data, spark, new ConsoleProgress(System.err)), data, plan);
            }
        }
        try {
            TrainingOutput.Report report = TrainingOutput.write(out, data, plan, trained.results(), oracle);
            o.print(TrainingOutput.table(report));
            if (trained.stacked() == null) {
                o.printf(Locale.ROOT, "%nwritten to %s (report.json, report.txt, models/, oof/) in %.1f s%n", out,
                        (System.nanoTime() - t0) / 1e9);
                return 0;
            }
            EnsembleReport er = trained.stacked().report();
            Path ensembleDir = out.resolve("ensemble");
            trained.stacked().ensemble().save(ensembleDir);
            er.write(out);
            TrainingPlots.write(out.resolve("plots"), report, er, trained.stacked().ensemble());
            o.printf(Locale.ROOT, "%n%s", er.table());
            o.printf(Locale.ROOT, "%nwritten to %s (report.txt, ensemble-report.txt, ensemble/, models/, oof/, plots/) in %.1f s%n",
                    out, (System.nanoTime() - t0) / 1e9);
            if (registry != null) {
                TrainingRegistration.Outcome r = TrainingRegistration.register(registry, endpoint, experimentId, register, out,
                        ensembleDir, data, cfg, report, er, CodeVersion.detect());
                o.printf(Locale.ROOT, "%nregistered %s version %s (alias %s), %.1f MB%n", register, r.version().version(),
                        TrainingRegistration.CHALLENGER, r.artifactBytes() / 1e6);
                o.printf(Locale.ROOT, "  MLflow run:     %s%n", r.runId());
                o.printf(Locale.ROOT, "  run page:       %s%n", r.runPage());
                o.printf(Locale.ROOT, "  model version:  %s%n", r.versionPage());
                o.printf(Locale.ROOT, "  promote it:     ./foresail models promote %s %s --to champion --reason \"...\"%n",
                        register, r.version().version());
            }
            return 0;
        } finally {
            trained.close();
        }
    }

    /** The fold results and the stacked ensemble (null with --no-ensemble); closing closes every model. */
    private record Trained(List<TrainingRun.FoldResult> results, Stacking.Result stacked) implements AutoCloseable {
        @Override
        public void close() {
            results.forEach(r -> r.fitted().close());
            if (stacked != null) {
                stacked.ensemble().close();
            }
        }
    }

    private Trained train(TrainingRun run, Dataset data, TrainingRun.Plan plan) {
        List<TrainingRun.FoldResult> results = run.run(plan);
        if (noEnsemble) {
            return new Trained(results, null);
        }
        try {
            return new Trained(results, Stacking.build(run, data, plan, results));
        } catch (RuntimeException e) {
            results.forEach(r -> r.fitted().close());
            throw e;
        }
    }
}
