package io.foresail.pipelines.cli;

import io.foresail.pipelines.chaos.ChaosRun;
import io.foresail.pipelines.sim.SimProcess;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code foresail chaos}: the trader against the simulator with faults of every kind, SIGKILLs and
 * restarts, kill-switch windows and champion moves, checked against the simulator's ledger
 * ({@link ChaosRun}). Exits 3 when a check fails.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Run the trader through injected faults and kill -9 restarts; check it against the simulator's ledger.")
final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--faults", defaultValue = "1000", description = "Faults to inject (default ${DEFAULT-VALUE}).")
    int faults;
    @Option(names = "--restarts", defaultValue = "20", description = "Trader kills (SIGKILL) and restarts (default ${DEFAULT-VALUE}).")
    int restarts;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of the market and the schedule (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--symbols", defaultValue = "20", description = "Equities (default ${DEFAULT-VALUE}).")
    int symbols;
    @Option(names = "--sessions", defaultValue = "10", description = "Sessions traded (default ${DEFAULT-VALUE}: two weeks).")
    int sessions;
    @Option(names = "--warmup-sessions", defaultValue = "3", description = "Sessions of history before (default ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--champion-moves", defaultValue = "2", description = "Times the champion alias moves (default ${DEFAULT-VALUE}).")
    int moves;
    @Option(names = "--kill-switches", defaultValue = "4", description = "Kill-switch windows (default ${DEFAULT-VALUE}).")
    int killSwitches;
    @Option(names = "--dir", defaultValue = "work/chaos", description = "Work directory: state, models, the trader's log (default ${DEFAULT-VALUE}).")
    Path dir;
    @Mixin
    TrackingServer tracking;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        Path home = SimProcess.home();
        MlflowEndpoint endpoint = tracking.endpoint();
        if (!tracking.named() && !MlflowServer.healthy(MlflowEndpoint.DEFAULT_URI)) {
            o.println("starting the project's MLflow server (work/mlflow; the first start installs MLflow)");
            o.flush();
            new MlflowServer(home.resolve("work").resolve("venv-mlflow"), home.resolve("work").resolve("mlflow"),
                    MlflowEndpoint.DEFAULT_URI.getPort()).start();
        }
        ChaosRun.Report r = ChaosRun.run(new ChaosRun.Settings(symbols, sessions, warmup, faults, restarts, moves,
                killSwitches, seed, dir.toAbsolutePath(), endpoint.uri()), home, line -> {
                    o.println(line);
                    o.flush();
                });
        o.print(r.render());
        o.flush();
        return r.passed() ? 0 : ForesailCli.EXIT_CHECK_FAILED;
    }
}
