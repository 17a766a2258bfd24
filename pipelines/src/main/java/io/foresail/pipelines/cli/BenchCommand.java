package io.foresail.pipelines.cli;

import io.foresail.pipelines.bench.DataBenchmark;
import io.foresail.pipelines.bench.FeatureBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code foresail bench ...}: benchmarks that print machine-readable figures for docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (figures as 'name: value' lines).",
        subcommands = {BenchCommand.Data.class, BenchCommand.Features.class, BenchCommand.Training.class,
                BenchCommand.Registry.class, BenchCommand.Sequence.class,
                BenchCommand.Inference.class, BenchCommand.Backtest.class, BenchCommand.Sim.class,
                BenchCommand.Trader.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "backtest", mixinStandardHelpOptions = true,
            description = "The full replay (decision path, every risk rule, order planning, simulated venue) over a bar "
                    + "store with the oracle's scores: symbol-bar events/s rebalancing every bar and once a session, "
                    + "allocation and GC; one decision's p50/p99.")
    static final class Backtest implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        RunsOption runs;
        @Option(names = "--bars", required = true, description = "Bar store (the default market: work/quickstart/bars).")
        Path bars;
        @Option(names = "--oracle", required = true, description = "The market's oracle.parquet.")
        Path oracle;
        @Option(names = "--peers", description = "Also run backtrader and vectorbt on a simple strategy, on the same bars and "
                + "scores, in this directory (their pinned venv is installed there on first use).")
        Path peers;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            new io.foresail.pipelines.bench.BacktestBenchmark(runs.count, bars, oracle, peers).run(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "sim", mixinStandardHelpOptions = true,
            description = "The Alpaca simulator on loopback: order submissions/s, minute-bar fan-out latency to a client "
                    + "subscribed to every symbol (p50/p99), and the replay speed of a whole session.")
    static final class Sim implements Callable<Integer> {
        @Option(names = "--bars", required = true, description = "Bar store (the default market: work/quickstart/bars).")
        Path bars;
        @Option(names = "--orders", defaultValue = "20000", description = "Orders to submit (default ${DEFAULT-VALUE}).")
        int orders;
        @Option(names = "--clients", defaultValue = "8", description = "Concurrent HTTP clients (default ${DEFAULT-VALUE}).")
        int clients;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            new io.foresail.pipelines.bench.SimBenchmark(bars, orders, clients).run(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "trader", mixinStandardHelpOptions = true,
            description = "The trader (its own JVM) against the simulator: 50 equities, five years of history, the default "
                    + "feature set: start and restart to ready, bar close to orders p50/p99 (with and without the broker's "
                    + "round trips, stage by stage), resident memory and live heap over a traded month.")
    static final class Trader implements Callable<Integer> {
        @Option(names = "--symbols", defaultValue = "50", description = "Equities (default ${DEFAULT-VALUE}).")
        int symbols;
        @Option(names = "--history-sessions", defaultValue = "1258", description = "Sessions of history (default ${DEFAULT-VALUE}: five years).")
        int history;
        @Option(names = "--sessions", defaultValue = "21", description = "Sessions traded (default ${DEFAULT-VALUE}: a month).")
        int sessions;
        @Option(names = "--seed", defaultValue = "42", description = "Market seed (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--work", defaultValue = "work/bench-trader", description = "Scratch directory (default ${DEFAULT-VALUE}).")
        Path work;
        @Option(names = "--champion", paramLabel = "MODEL", description = "Serve this registered version (NAME@alias or "
                + "NAME/version, e.g. foresail-quickstart@challenger; its universe must be the bench market's: the "
                + "quickstart's is, with the default --symbols and --seed). Default: an XGBoost model fitted here.")
        String champion;
        @Option(names = "--heap-dump", paramLabel = "FILE", description = "Write the trader's heap (HPROF) at the end of the run.")
        Path heapDump;
        @Option(names = "--latency-ms", defaultValue = "0", description = "A network round trip the simulator adds to "
                + "every API answer, e.g. 20 for a cloud host's to Alpaca (default ${DEFAULT-VALUE}).")
        long latencyMillis;
        @Option(names = "--requests-in-flight", description = "The trader's broker requests of a bar at once "
                + "(alpaca.requests_in_flight; 1: one after the other; default: the trader's).")
        Integer requestsInFlight;
        @Option(names = "--minute-gap-ms", defaultValue = "2", description = "The pause between a bar's minutes "
                + "(default ${DEFAULT-VALUE}: as fast as the stream keeps up; e.g. 20 leaves the trader as quiet before "
                + "each close as a market's minute does).")
        long minuteGapMillis;
        @Option(names = "--member-threads", description = "Threads beside the bar's on which a stacked ensemble's "
                + "members predict (model.member_threads; 0: all on the bar's thread; default: the trader's).")
        Integer memberThreads;
        @Option(names = "--venue-nice", defaultValue = "0", description = "Once the trader runs, lower the simulator's "
                + "(this JVM's) priority to this nice value, as if the venue were on another machine; 0 leaves it "
                + "(default ${DEFAULT-VALUE}; Linux).")
        int venueNice;
        @Option(names = "--bar-threads-nice", description = "The trader's bars.threads_nice: the bar's threads at this "
                + "Linux nice value (below the process's own needs CAP_SYS_NICE; default: the process's own).")
        Integer barThreadsNice;
        @Option(names = "--bar-threads-realtime", description = "The trader's bars.threads_realtime: the bar's threads "
                + "under SCHED_FIFO at this priority, 1 to 99 (needs CAP_SYS_NICE or RLIMIT_RTPRIO; default: unset).")
        Integer barThreadsRealtime;
        @Option(names = "--neighbour-cores", defaultValue = "0", description = "Busy processes beside the trader for the "
                + "whole run, each wanting a core, as a training job on the same host would (default ${DEFAULT-VALUE}).")
        int neighbourCores;
        @picocli.CommandLine.Mixin
        TrackingServer tracking;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            new io.foresail.pipelines.bench.TraderBenchmark(symbols, history, sessions, seed, work.toAbsolutePath(),
                    tracking.endpoint().uri(), io.foresail.pipelines.sim.SimProcess.home(),
                    champion == null ? null : io.foresail.registry.ModelRef.parse(champion)).heapDumpTo(heapDump)
                    .networkLatency(java.time.Duration.ofMillis(latencyMillis)).requestsInFlight(requestsInFlight)
                    .minuteGap(java.time.Duration.ofMillis(minuteGapMillis)).memberThreads(memberThreads).venueNice(venueNice)
                    .barThreadsNice(barThreadsNice).barThreadsRealtime(barThreadsRealtime).neighbourCores(neighbourCores)
                    .run(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "data", mixinStandardHelpOptions = true,
            description = "Synthetic market generation bars/s, bar-store write and read rows/s, validation rows/s, "
                    + "on the full default market (50 equities + benchmark, 5 years, 15-min).")
    static final class Data implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        RunsOption runs;
        @Option(names = "--symbols", defaultValue = "50", description = "Equities (default ${DEFAULT-VALUE}).")
        int symbols;
        @Option(names = "--work", description = "Scratch directory (default: a temporary one, deleted after).")
        Path work;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            new DataBenchmark(runs.count, symbols, work).run(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true,
            description = "Full Spark feature build of the default spec (start-up apart) and online-engine latency "
                    + "per timestamp, on the full default market or --bars.")
    static final class Features implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        RunsOption runs;
        @Option(names = "--bars", description = "Bar store to build from (default: generate the default market).")
        Path bars;
        @Option(names = "--work", description = "Scratch directory (default: a temporary one, deleted after).")
        Path work;
        @Option(names = "--online-only", description = "Skip the Spark build; time only the online engine.")
        boolean onlineOnly;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            new FeatureBenchmark(runs.count, bars, work, onlineOnly).run(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "training", mixinStandardHelpOptions = true,
            description = "Fit throughput per model, XGBoost4J vs Python xgboost (same data, parameters, threads), "
                    + "and one-bar inference latency per model, on a feature set.")
    static final class Training implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        FeatureSetOption features;
        @picocli.CommandLine.Mixin
        RunsOption runs;
        @Option(names = "--train-months", defaultValue = "12", description = "Training window (default ${DEFAULT-VALUE}).")
        int trainMonths;
        @Option(names = "--work", defaultValue = "work/bench", description = "Scratch directory and the Python virtualenv (default ${DEFAULT-VALUE}).")
        Path work;
        @Option(names = "--no-python", description = "Skip the Python xgboost peer.")
        boolean noPython;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            new io.foresail.pipelines.bench.TrainingBenchmark(features.dir, work, runs.count, trainMonths, !noPython)
                    .run(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "registry", mixinStandardHelpOptions = true,
            description = "Register and download throughput (MB/s) of a model artifact, e.g. a training run's ensemble/, "
                    + "against the MLflow server (MLFLOW_TRACKING_URI or --tracking-uri).")
    static final class Registry implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "Model artifact directory (e.g. RUN/ensemble).")
        Path model;
        @picocli.CommandLine.Mixin
        RunsOption runs;
        @picocli.CommandLine.Mixin
        TrackingServer tracking;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            new io.foresail.pipelines.bench.RegistryBenchmark(model, tracking.endpoint(), runs.count)
                    .run(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "sequence", mixinStandardHelpOptions = true,
            description = "LSTM and Transformer training speed, DJL against PyTorch's own training step (same network, "
                    + "batch, threads, data shapes) in one run, and the samples/s of the default training budget.")
    static final class Sequence implements Callable<Integer> {
        @Option(names = "--features", defaultValue = "230", description = "Inputs per bar (default ${DEFAULT-VALUE}, the default feature set's width).")
        int features;
        @Option(names = "--samples", defaultValue = "20000", description = "Training windows per epoch (default ${DEFAULT-VALUE}).")
        int samples;
        @Option(names = "--batch", defaultValue = "512", description = "Batch size (default ${DEFAULT-VALUE}).")
        int batch;
        @Option(names = "--epochs", defaultValue = "3", description = "Epochs; the median epoch is reported (default ${DEFAULT-VALUE}).")
        int epochs;
        @Option(names = "--work", defaultValue = "work/bench", description = "Scratch directory and the PyTorch virtualenv (default ${DEFAULT-VALUE}).")
        Path work;
        @Option(names = "--no-python", description = "Skip the PyTorch peer (its virtualenv is about 5 GB).")
        boolean noPython;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            new io.foresail.pipelines.bench.SequenceBenchmark(work, features, samples, batch, epochs, !noPython)
                    .run(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "inference", mixinStandardHelpOptions = true,
            description = "One bar's prediction for the universe through the live path (p50/p99, each member's share), the "
                    + "alias moved N times under load (failures, swap latency, resident memory), and batch prediction "
                    + "rows/s, for a registered version and its feature set. Publishes the version twice as "
                    + "foresail-bench-inference to move that alias, never the source's.")
    static final class Inference implements Callable<Integer> {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "MODEL", description = "NAME@alias or NAME/version.")
        String model;
        @picocli.CommandLine.Mixin
        FeatureSetOption features;
        @Option(names = "--bars", defaultValue = "500", description = "Bars timed after the warm-up (default ${DEFAULT-VALUE}).")
        int bars;
        @Option(names = "--swaps", defaultValue = "200", description = "Alias moves under load; 0 skips (default ${DEFAULT-VALUE}).")
        int swaps;
        @Option(names = "--poll-ms", defaultValue = "1000", description = "The watcher's poll interval (default ${DEFAULT-VALUE}).")
        long pollMs;
        @Option(names = "--work", defaultValue = "work/bench", description = "Scratch directory (default ${DEFAULT-VALUE}).")
        Path work;
        @Option(names = "--no-batch", description = "Skip the batch prediction over the whole set (about two minutes).")
        boolean noBatch;
        @Option(names = "--cold-mb", defaultValue = "0", description = "Write through this many MB before each timed bar, "
                + "as a market's quarter hour between bars would (bigger than the last-level cache: e.g. 64); 0 times the bars "
                + "back to back, caches hot (default ${DEFAULT-VALUE}).")
        int coldMb;
        @Option(names = "--member-threads", defaultValue = "0", description = "Threads beside the bar's on which a stacked "
                + "ensemble's members predict side by side (the trader's model.member_threads); 0: all on the bar's thread "
                + "(default ${DEFAULT-VALUE}).")
        int memberThreads;
        @picocli.CommandLine.Mixin
        TrackingServer tracking;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            new io.foresail.pipelines.bench.InferenceBenchmark(io.foresail.registry.ModelRef.parse(model), features.dir,
                    tracking.endpoint(), bars, swaps, java.time.Duration.ofMillis(pollMs), work, !noBatch, coldMb)
                    .memberThreads(memberThreads)
                    .run(spec.commandLine().getOut());
            return 0;
        }
    }
}
