package io.foresail.pipelines.cli;

import io.foresail.core.error.InvalidInputException;
import io.foresail.models.Model;
import io.foresail.models.Trainer;
import io.foresail.models.gbm.XGBoostTrainer;
import io.foresail.pipelines.training.DistributedXGBoostTrainer;
import io.foresail.pipelines.training.SparkTrialRunner;
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
        description = "Train the configured models over walk-forward folds; writes models, out-of-fold predictions and a report.")
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
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainingConfig cfg = TrainingConfig.loadOrDefault(config);
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
        if (oracle != null && !Files.isRegularFile(oracle)) {
            throw new InvalidInputException("--oracle " + oracle + ": file not found");
        }
        long t0 = System.nanoTime();
        Dataset data = Dataset.load(features);
        TrainingRun.Plan plan = TrainingRun.plan(data, cfg, TrainingRun.standardTrainers());
        err.printf(Locale.ROOT, "training %s on %s: %d rows, %d features, %d folds, models %s, %d trials each (loaded in %.1f s)%n",
                cfg.target(), data.featureSetId(), data.rows(), data.features().size(), plan.folds().size(),
                plan.trainers().keySet(), cfg.search().trials(), (System.nanoTime() - t0) / 1e9);
        err.flush();
        List<TrainingRun.FoldResult> results;
        if (noSpark) {
            results = new TrainingRun(data, TrialRunner.local(cfg.parallelism()), new ConsoleProgress(System.err)).run(plan);
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
                results = new TrainingRun(data, spark, new ConsoleProgress(System.err)).run(plan);
            }
        }
        try {
            TrainingOutput.Report report = TrainingOutput.write(out, data, plan, results, oracle);
            o.print(TrainingOutput.table(report));
            o.printf(Locale.ROOT, "%nwritten to %s (report.json, report.txt, models/, oof/) in %.1f s%n", out,
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            results.forEach(r -> r.fitted().close());
        }
        return 0;
    }
}
