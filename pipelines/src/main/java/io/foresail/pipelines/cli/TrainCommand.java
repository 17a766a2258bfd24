package io.foresail.pipelines.cli;

import io.foresail.pipelines.training.TrainingJob;
import io.foresail.pipelines.training.TrainingRegistration;
import io.foresail.training.run.TrainingConfig;
import io.foresail.training.run.TrainingOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code foresail train}: the {@link TrainingJob} from the command line. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the configured models over walk-forward folds, stack them into one ensemble refit on the latest window; writes models, out-of-fold predictions, reports and plots, and with --register records it all in MLflow.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    FeatureSetOption features;
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
    @Mixin
    TrackingServer tracking;
    @Option(names = "--experiment", defaultValue = "foresail-training", description = "MLflow experiment of the run (default ${DEFAULT-VALUE}).")
    String experiment;
    @Option(names = "--trials", description = "Trials per model and fold, replacing the config's search.trials (1 = the configured values only).")
    Integer trials;
    @Option(names = "--cache", defaultValue = "work/model-cache", hidden = true, description = "Local cache of verified versions.")
    Path cache;
    @Option(names = "--no-ensemble", description = "Skip stacking and the refit (not with --register).")
    boolean noEnsemble;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        TrainingJob.Request request = TrainingJob.Request.builder(features.dir, out)
                .config(TrainingConfig.loadOrDefault(config)).trials(trials).oracle(oracle).master(master)
                .localThreads(noSpark).distributed(distributed, workers).ensemble(!noEnsemble)
                .register(register == null ? null
                        : new TrainingJob.Registration(register, tracking.endpoint(), experiment, cache))
                .build();
        TrainingJob.Result r = TrainingJob.run(request, new ConsoleProgress(System.err), line -> {
            err.println(line);
            err.flush();
        });
        print(spec.commandLine().getOut(), r);
        return 0;
    }

    /** The job's report tables, where its files are, and how to promote what it registered. */
    static void print(PrintWriter o, TrainingJob.Result r) {
        o.print(TrainingOutput.table(r.report()));
        if (r.ensembleReport() == null) {
            o.printf(Locale.ROOT, "%nwritten to %s (report.json, report.txt, models/, oof/) in %.1f s%n", r.out(), r.seconds());
            return;
        }
        o.printf(Locale.ROOT, "%n%s", r.ensembleReport().table());
        o.printf(Locale.ROOT, "%nwritten to %s (report.txt, ensemble-report.txt, ensemble/, models/, oof/, plots/) in %.1f s%n",
                r.out(), r.seconds());
        TrainingRegistration.Outcome reg = r.registered();
        if (reg != null) {
            String name = reg.version().name();
            o.printf(Locale.ROOT, "%nregistered %s version %s (alias %s), %.1f MB%n", name, reg.version().version(),
                    TrainingRegistration.CHALLENGER, reg.artifactBytes() / 1e6);
            o.printf(Locale.ROOT, "  MLflow run:     %s%n", reg.runId());
            o.printf(Locale.ROOT, "  run page:       %s%n", reg.runPage());
            o.printf(Locale.ROOT, "  model version:  %s%n", reg.versionPage());
            o.printf(Locale.ROOT, "  promote it:     ./foresail models promote %s %s --to champion --reason \"...\"%n",
                    name, reg.version().version());
        }
        o.flush();
    }
}
