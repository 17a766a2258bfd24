package io.foresail.pipelines.cli;

import io.foresail.backtest.analytics.Performance;
import io.foresail.backtest.replay.BacktestConfig;
import io.foresail.core.error.InvalidInputException;
import io.foresail.pipelines.backtest.BacktestJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code foresail backtest}: scores through the decision path and the simulated venue, with a report. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = "Replay a bar store with precomputed scores (a prediction file from `foresail predict`, or the "
                + "synthetic market's oracle) through the live trader's decision path and a simulated venue; print the "
                + "headline figures and write summary.json, equity.csv and fills.csv.")
final class BacktestCommand implements Callable<Integer> {
    @Option(names = "--bars", required = true, description = "Bar store (equities and the benchmark).")
    Path bars;
    @Option(names = "--predictions", description = "Prediction file (symbol, ts, score, model_version).")
    Path predictions;
    @Option(names = "--oracle", description = "The synthetic market's oracle.parquet: the ceiling of what is learnable.")
    Path oracle;
    @Option(names = "--ic", defaultValue = "NaN", description = "The model's measured out-of-sample IC, for the Kelly cap.")
    double ic;
    @picocli.CommandLine.Mixin
    PeriodOption period;
    @Option(names = "--config", description = "Backtest YAML (default: the embedded config/backtest.yaml).")
    Path config;
    @Option(names = "--out", required = true, description = "Report directory; must not exist.")
    Path out;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ((predictions == null) == (oracle == null)) {
            throw new InvalidInputException("give the scores: --predictions FILE or --oracle FILE (one of them)");
        }
        BacktestConfig cfg = BacktestConfig.loadOrDefault(config);
        BacktestJob.Source source = predictions != null ? new BacktestJob.Source.Predictions(predictions, ic)
                : new BacktestJob.Source.Oracle(oracle);
        PrintWriter o = spec.commandLine().getOut();
        BacktestJob.Result r = BacktestJob.run(new BacktestJob.Request(bars, source, period.from(), period.to(), cfg, out,
                ""), new ConsoleProgress(System.err));
        o.printf(Locale.ROOT, "backtest of %s over %s: %,d bars (%,d sessions) replayed in %.2f s; %,d orders, %,d fills%n",
                r.replay().source(), Performance.period(r.replay()), r.replay().bars(), r.performance().days(),
                r.replaySeconds(), r.replay().orders(), r.replay().fills().size());
        for (Map.Entry<String, Double> e : r.performance().figures().entrySet()) {
            o.printf(Locale.ROOT, "  %-26s %s%n", e.getKey(), format(e.getKey(), e.getValue()));
        }
        o.printf("report: %s%n", r.out());
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
