package io.foresail.pipelines.cli;

import io.foresail.backtest.analytics.Performance;
import io.foresail.backtest.replay.BacktestConfig;
import io.foresail.core.error.InvalidInputException;
import io.foresail.pipelines.backtest.BacktestJob;
import io.foresail.pipelines.backtest.BacktestLog;
import io.foresail.registry.ModelCache;
import io.foresail.registry.ModelRef;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code foresail backtest}: scores through the decision path and the simulated venue, with a report. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = "Replay a bar store through the live trader's decision path and a simulated venue, with the scores "
                + "of a registered version (NAME@alias or NAME/version, predicted over --features), a prediction file, a "
                + "training run's out-of-fold predictions, or the synthetic market's oracle; print the headline figures "
                + "and write summary.json, equity.csv, the decisions, risk events and fills as Parquet, and the tearsheet "
                + "(HTML and PNG charts). A period that overlaps the model's training window is refused unless "
                + "--allow-in-sample. --log records it as an MLflow run and tags the version with it.")
final class BacktestCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "NAME@alias or NAME/version (needs --features).")
    String model;
    @Option(names = "--model", description = "An unregistered model artifact directory (needs --features).")
    Path modelDir;
    @Option(names = "--features", description = "Feature set directory ROOT/<name>/<id> the model reads.")
    Path features;
    @Option(names = "--bars", required = true, description = "Bar store (equities and the benchmark).")
    Path bars;
    @Option(names = "--predictions", description = "Prediction file (symbol, ts, score, model_version).")
    Path predictions;
    @Option(names = "--oof", description = "A training run's out-of-fold predictions: <run>/oof/<model>.csv.")
    Path oof;
    @Option(names = "--oracle", description = "The synthetic market's oracle.parquet: the ceiling of what is learnable.")
    Path oracle;
    @Option(names = "--oracle-horizon", defaultValue = "0", description = "With --oracle: score by the return expected "
            + "over this many bars (default 0: the strategy's holding period; 1: the next bar).")
    int oracleHorizon;
    @Option(names = "--ic", defaultValue = "NaN", description = "With --predictions: the model's measured IC, for the Kelly cap.")
    double ic;
    @Option(names = "--allow-in-sample", description = "Backtest a period that overlaps the training window; every output "
            + "is labelled IN-SAMPLE.")
    boolean allowInSample;
    @Mixin
    PeriodOption period;
    @Option(names = "--config", description = "Backtest YAML (default: the embedded config/backtest.yaml).")
    Path config;
    @Option(names = "--out", required = true, description = "Report directory; must not exist.")
    Path out;
    @Option(names = "--cache", defaultValue = "work/model-cache", description = "Local cache of verified versions (default ${DEFAULT-VALUE}).")
    Path cache;
    @Option(names = "--log", description = "Record the backtest as a run in MLflow experiment foresail-backtests and, for a "
            + "registered version, tag the version with the run and its headline figures.")
    boolean log;
    @Mixin
    TrackingServer tracking;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int sources = (model != null ? 1 : 0) + (modelDir != null ? 1 : 0) + (predictions != null ? 1 : 0)
                + (oof != null ? 1 : 0) + (oracle != null ? 1 : 0);
        if (sources != 1) {
            throw new InvalidInputException("give the scores, one of: MODEL (NAME@alias or NAME/version, with --features), "
                    + "--model DIR (with --features), --predictions FILE, --oof FILE or --oracle FILE");
        }
        if ((model != null || modelDir != null) && features == null) {
            throw new InvalidInputException("a model is predicted over a feature set: give --features ROOT/<name>/<id>");
        }
        BacktestConfig cfg = BacktestConfig.loadOrDefault(config);
        BacktestJob.Source source;
        MlflowModelRegistry registry = model != null || log
                ? new MlflowModelRegistry(MlflowClient.of(tracking.endpoint()), new ModelCache(cache)) : null;
        if (model != null) {
            source = new BacktestJob.Source.Registered(registry, ModelRef.parse(model), features);
        } else if (modelDir != null) {
            source = new BacktestJob.Source.LocalModel(modelDir, features);
        } else if (predictions != null) {
            source = new BacktestJob.Source.Predictions(predictions, ic);
        } else if (oof != null) {
            source = new BacktestJob.Source.OutOfFold(oof);
        } else {
            source = new BacktestJob.Source.Oracle(oracle, oracleHorizon);
        }
        PrintWriter o = spec.commandLine().getOut();
        BacktestJob.Result r = BacktestJob.run(new BacktestJob.Request(bars, source, period.from(), period.to(), cfg, out,
                null, allowInSample), new ConsoleProgress(System.err));
        String label = r.replay().label().isEmpty() ? "" : " [" + r.replay().label() + "]";
        o.printf(Locale.ROOT, "backtest of %s%s over %s: %,d bars (%,d sessions) replayed in %.2f s; %,d orders, %,d fills%n",
                r.replay().source(), label, Performance.period(r.replay()), r.replay().bars(), r.performance().days(),
                r.replaySeconds(), r.replay().orders(), r.replay().fills().size());
        for (Map.Entry<String, Double> e : r.performance().figures().entrySet()) {
            o.printf(Locale.ROOT, "  %-26s %s%s%n", e.getKey(), format(e.getKey(), e.getValue()), label);
        }
        o.printf("tearsheet: %s%n", r.out().resolve("tearsheet.html"));
        if (log) {
            try {
                BacktestLog.Logged l = BacktestLog.log(registry.client(), registry, r);
                o.printf("MLflow run: %s%n", tracking.endpoint().runPage(l.experimentId(), l.runId()));
                if (l.version() != null) {
                    o.printf("tagged %s/%s with the run and its headline figures%n", l.version().name(), l.version().version());
                }
            } catch (java.io.IOException e) {
                throw new io.foresail.core.error.ForesailException("cannot log the backtest to MLflow: " + e.getMessage(), e);
            }
        }
        o.printf("report: %s (summary.json, equity.csv, decisions/risk_events/fills.parquet, charts/)%n", r.out());
        return 0;
    }

    private static String format(String name, double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (name.startsWith("cost") && !name.endsWith("bps_of_traded") || name.equals("days") || name.endsWith("_days")) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
