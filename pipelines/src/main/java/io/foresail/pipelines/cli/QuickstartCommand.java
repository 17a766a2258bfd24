package io.foresail.pipelines.cli;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.progress.Progress;
import io.foresail.backtest.replay.BacktestConfig;
import io.foresail.data.adjust.CorporateActions;
import io.foresail.data.store.BarStore;
import io.foresail.data.synth.OracleSummary;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SynthOutput;
import io.foresail.data.validate.BarValidator;
import io.foresail.data.validate.ValidationConfig;
import io.foresail.data.validate.ValidationMode;
import io.foresail.data.validate.ValidationReport;
import io.foresail.data.synth.OracleFile;
import io.foresail.features.spec.FeatureSetSpec;
import io.foresail.pipelines.backtest.BacktestJob;
import io.foresail.pipelines.features.FeatureSetJob;
import io.foresail.pipelines.training.TrainingJob;
import io.foresail.training.run.TrainingConfig;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowServer;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresail quickstart}: the whole research loop on embedded defaults: generate the default
 * synthetic market, validate it, build the default feature set, train the default models over
 * walk-forward folds, stack them, and register the ensemble in MLflow as {@code challenger}.
 * Re-running reuses the market and the feature set that the same settings already made
 * (both are deterministic, so they would be the same bytes); each run trains into a new directory.
 *
 * <p>MLflow: {@code MLFLOW_TRACKING_URI} when set; otherwise a server already answering on
 * 127.0.0.1:5000; otherwise the project's own server is started from {@code work/mlflow} and left
 * running so the UI can be browsed.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Run the research loop on embedded defaults: synthetic market -> validation -> features -> train -> stacked ensemble -> MLflow.")
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "work/quickstart", description = "Working directory (default ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--symbols", defaultValue = "50", description = "Equities (default ${DEFAULT-VALUE}).")
    int symbols;
    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--trials", defaultValue = "1", description = "Hyperparameter trials per model and fold (default ${DEFAULT-VALUE}: the configured values).")
    int trials;
    @Option(names = "--config", description = "Training YAML (default: the embedded config/training.yaml, all five model types).")
    Path trainingConfig;
    @Option(names = "--model-name", defaultValue = "foresail-quickstart", description = "Registered model name (default ${DEFAULT-VALUE}).")
    String modelName;
    @Option(names = "--no-register", description = "Stop after training and stacking; no MLflow.")
    boolean noRegister;
    @picocli.CommandLine.Mixin
    TrackingServer tracking;
    @Option(names = "--mlflow-home", defaultValue = "work/mlflow", description = "State of the server quickstart starts when none answers (default ${DEFAULT-VALUE}).")
    Path mlflowHome;
    @Option(names = "--mlflow-venv", defaultValue = "work/venv-mlflow", description = "Its virtualenv (default ${DEFAULT-VALUE}).")
    Path mlflowVenv;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        SynthConfig config = SynthConfig.builder().symbols(symbols).seed(seed).build();
        Path bars = out.resolve("bars");
        long t0 = System.nanoTime();
        if (BarStore.exists(bars)) {
            var p = BarStore.open(bars).manifest().provenance();
            if (!String.valueOf(seed).equals(p.get("seed")) || !String.valueOf(symbols).equals(p.get("symbols"))
                    || !SynthOutput.GENERATOR_VERSION.equals(p.get("generator"))) {
                throw new InvalidInputException(out + " holds a market made with other settings (" + p
                        + "); delete it or pass another --out");
            }
            o.println("[1/6] synthetic market: reusing " + out + " (same settings, same bytes)");
        } else {
            o.println("[1/6] synthetic market: generating " + symbols + " equities + benchmark, "
                    + config.start() + " .. " + config.end() + ", " + config.timeframe() + " bars");
            SynthOutput.write(out, config, 0, new ConsoleProgress(System.err));
        }
        double genSecs = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        o.println("[2/6] validation (strict): raw bars with corporate actions, then adjusted bars");
        CorporateActions actions = CorporateActions.load(out.resolve("corporate_actions.csv"));
        BarValidator validator = new BarValidator(ValidationConfig.builder().corporateActions(actions).build());
        ValidationReport raw = validator.validate(BarStore.open(out.resolve("raw")), ValidationMode.STRICT).report();
        ValidationReport adjusted = validator.validate(BarStore.open(bars), ValidationMode.STRICT).report();
        BarValidator.writeReport(adjusted, out.resolve("bars-validation.json"));
        double valSecs = (System.nanoTime() - t1) / 1e9;

        BarStore store = BarStore.open(bars);
        OracleSummary oracle = SynthOutput.readSummary(out);
        o.println("      market summary");
        o.printf(Locale.ROOT, "  bars:        %s%n", bars);
        o.printf(Locale.ROOT, "  symbols:     %d (%d equities + benchmark %s)%n", store.symbols().size(), symbols,
                config.universe().benchmark().symbol());
        o.printf(Locale.ROOT, "  range:       %s .. %s, %s%n", store.manifest().first(), store.manifest().last(),
                store.manifest().timeframe());
        o.printf(Locale.ROOT, "  rows:        %,d%n", store.manifest().rows());
        o.printf(Locale.ROOT, "  content:     sha256:%s%n", store.manifest().contentSha256());
        o.printf(Locale.ROOT, "  splits:      %d, explained in raw bars: %d%n", actions.all().size(),
                raw.symbols().stream().mapToInt(s -> s.splitsExplained()).sum());
        o.printf(Locale.ROOT, "  validation:  raw %s, adjusted %s (%s)%n", verdict(raw), verdict(adjusted),
                out.resolve("bars-validation.json"));
        o.printf(Locale.ROOT, "  oracle IC:   %.4f (rank IC %.4f ± %.4f) for a target of %.4f%n", oracle.icMean(),
                oracle.rankIcMean(), oracle.rankIcStdErr(), oracle.targetIc());
        o.printf(Locale.ROOT, "  time:        market %.1f s, validation %.1f s%n", genSecs, valSecs);
        if (!raw.passed() || !adjusted.passed()) {
            o.println("validation failed; not training on this market (see " + out.resolve("bars-validation.json") + ")");
            return ForesailCli.EXIT_CHECK_FAILED;
        }
        o.flush();

        long t2 = System.nanoTime();
        o.println("[3/6] features: the default feature set (config/features.yaml) on Spark");
        FeatureSetJob.Result set = FeatureSetJob.run(new FeatureSetJob.Request(bars, FeatureSetSpec.defaultSpec(),
                out.resolve("features"), config.universe(), "local[*]"));
        double featureSecs = (System.nanoTime() - t2) / 1e9;
        o.printf(Locale.ROOT, "  %s %s/%s: %,d rows x %d columns (%.1f s)%n", set.existed() ? "reusing" : "built",
                set.name(), set.id(), set.rows(), set.columns(), featureSecs);

        MlflowEndpoint endpoint = null;
        double mlflowSecs = 0;
        if (!noRegister) {
            long t3 = System.nanoTime();
            endpoint = mlflow(o);
            mlflowSecs = (System.nanoTime() - t3) / 1e9;
        }

        long t4 = System.nanoTime();
        Path runDir = out.resolve("runs").resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(Instant.now()));
        o.printf(Locale.ROOT, "[5/6] train: the %s (%d trial%s each) over walk-forward folds, "
                + "stacked into one ensemble%s%n", trainingConfig == null ? "default models (config/training.yaml)" : "models of " + trainingConfig,
                trials, trials == 1 ? "" : "s", noRegister ? "" : " and registered as " + modelName);
        o.flush();
        TrainingJob.Request request = TrainingJob.Request.builder(set.dir(), runDir)
                .config(TrainingConfig.loadOrDefault(trainingConfig)).trials(trials)
                .oracle(out.resolve("oracle").resolve(OracleFile.FILE))
                .register(endpoint == null ? null : new TrainingJob.Registration(modelName, endpoint, null, null))
                .build();
        PrintWriter err = spec.commandLine().getErr();
        TrainingJob.Result trained = TrainingJob.run(request, new ConsoleProgress(System.err), line -> {
            err.println(line);
            err.flush();
        });
        TrainCommand.print(o, trained);
        double trainSecs = (System.nanoTime() - t4) / 1e9;
        long t5 = System.nanoTime();
        headline(o, bars, runDir, out.resolve("oracle").resolve(OracleFile.FILE));
        double backtestSecs = (System.nanoTime() - t5) / 1e9;
        o.printf(Locale.ROOT, "%nquickstart done in %.1f s: market %.1f s, validation %.1f s, features %.1f s, mlflow %.1f s, "
                        + "train+stack+register %.1f s, backtests %.1f s%n", (System.nanoTime() - t0) / 1e9, genSecs, valSecs,
                featureSecs, mlflowSecs, trainSecs, backtestSecs);
        o.println("  results:   " + runDir + " (report.txt, ensemble-report.txt, plots/)");
        if (endpoint != null) {
            o.println("  MLflow UI: " + endpoint.uri() + "  (Experiments > foresail-training: params, per-fold metrics, "
                    + "plots/ and reports/ under Artifacts; Models > " + modelName + ": the version aliased challenger, "
                    + "its signature and tags)");
            o.println("  promote:   set the alias 'champion' in the UI, or ./foresail models promote " + modelName
                    + " <version> --to champion --reason \"...\"");
        }
        return 0;
    }

    /**
     * The platform's honest headline: the ensemble's out-of-sample scores (its level-1 walk-forward,
     * {@code oof/ensemble.csv}) backtested through the default decision path with default costs,
     * beside the market's oracle over the same sessions. The registered ensemble is refit on the
     * latest window, so on this market only its walk-forward scores are out of sample.
     */
    private static void headline(PrintWriter o, Path bars, Path runDir, Path oracle) {
        Path oof = runDir.resolve("oof").resolve(io.foresail.ensemble.EnsembleReport.ENSEMBLE + ".csv");
        if (!hasRows(oof)) {
            o.println("[6/6] backtest: skipped (no ensemble scored out of sample: too few folds)");
            return;
        }
        o.println("[6/6] backtest: the ensemble's out-of-sample scores and the oracle through the default decision path "
                + "(config/backtest.yaml, costs included)");
        o.flush();
        BacktestConfig cfg = BacktestConfig.loadOrDefault(null);
        BacktestJob.Result model = BacktestJob.run(new BacktestJob.Request(bars, new BacktestJob.Source.OutOfFold(oof), null,
                null, cfg, runDir.resolve("backtest-ensemble"), null, false), Progress.NONE);
        long[] starts = model.replay().starts();
        Instant from = Instant.ofEpochSecond(starts[0]);
        Instant to = Instant.ofEpochSecond(starts[starts.length - 1]);
        BacktestJob.Result ceiling = BacktestJob.run(new BacktestJob.Request(bars, new BacktestJob.Source.Oracle(oracle, 0), from,
                to, cfg, runDir.resolve("backtest-oracle"), null, false), Progress.NONE);
        double m = model.performance().sharpe();
        double c = ceiling.performance().sharpe();
        o.printf(Locale.ROOT, "  period:      %s .. %s (%d sessions)%n", from, to, model.performance().days());
        o.printf(Locale.ROOT, "  ensemble:    net Sharpe %.2f, annual return %.1f %%, max drawdown %.1f %%  (%s)%n", m,
                100 * model.performance().annualReturn(), 100 * model.performance().maxDrawdown(), model.out());
        o.printf(Locale.ROOT, "  oracle:      net Sharpe %.2f, annual return %.1f %%, max drawdown %.1f %%  (%s)%n", c,
                100 * ceiling.performance().annualReturn(), 100 * ceiling.performance().maxDrawdown(), ceiling.out());
        o.printf(Locale.ROOT, "  headline:    the ensemble earns %.0f %% of the oracle's net Sharpe%n", 100 * m / c);
    }

    private static boolean hasRows(Path csv) {
        if (!java.nio.file.Files.exists(csv)) {
            return false;
        }
        try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(csv)) {
            return r.readLine() != null && r.readLine() != null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The tracking server to use, started from the project's own home when none answers. */
    private MlflowEndpoint mlflow(PrintWriter o) {
        MlflowEndpoint endpoint = tracking.endpoint();
        if (tracking.named()) {
            o.println("[4/6] MLflow: " + endpoint.uri() + (tracking.uri != null ? " (--tracking-uri)" : " (MLFLOW_TRACKING_URI)"));
        } else if (MlflowServer.healthy(MlflowEndpoint.DEFAULT_URI)) {
            o.println("[4/6] MLflow: a server already answers at " + MlflowEndpoint.DEFAULT_URI);
        } else {
            o.println("[4/6] MLflow: starting the project's server (" + mlflowHome + "; the first start installs MLflow, a few minutes)");
            o.flush();
            MlflowServer.Status s = new MlflowServer(mlflowVenv, mlflowHome, MlflowEndpoint.DEFAULT_URI.getPort()).start();
            o.println("  running at " + s.uri() + "; it keeps running after quickstart (./foresail mlflow stop)");
        }
        o.flush();
        return endpoint;
    }

    private static String verdict(ValidationReport r) {
        return r.passed() ? "PASSED" : "FAILED";
    }
}
