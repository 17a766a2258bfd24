package io.foresail.pipelines.cli;

import io.foresail.core.error.InvalidInputException;
import io.foresail.pipelines.sim.SimProcess;
import io.foresail.pipelines.trader.TraderProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code foresail trade}: runs the trader in its own JVM until SIGTERM or Ctrl-C. Safe by default:
 * against the local simulator (the one on {@code --sim-port}, started from {@code --bars} if none
 * runs); {@code --paper} for Alpaca's paper account; {@code --live} for real money, refused unless
 * the configuration and {@code --i-mean-real-money} both say so. {@code --dry-run} sends nothing.
 */
@Command(name = "trade", mixinStandardHelpOptions = true,
        description = "Trade the champion: bars in, risk-sized Alpaca orders out (simulator by default; docs/live-trader.md).")
final class TradeCommand implements Callable<Integer> {
    @Option(names = "--config", description = "Trader configuration (default: config/trader.yaml as embedded).")
    Path config;
    @Option(names = "--paper", description = "Alpaca paper trading (keys from APCA_API_KEY_ID/APCA_API_SECRET_KEY or alpaca.key_file).")
    boolean paper;
    @Option(names = "--live", description = "Real money: needs live.enabled in the configuration and --i-mean-real-money.")
    boolean live;
    @Option(names = "--i-mean-real-money", description = "The confirmation --live needs.")
    boolean confirmed;
    @Option(names = "--dry-run", description = "Decide and record, send nothing.")
    boolean dryRun;
    @Option(names = "--state-dir", description = "State directory (default: the configuration's, work/trader).")
    Path stateDir;
    @Option(names = "--http-port", description = "Port of /health /ready /status /metrics (default: the configuration's).")
    Integer httpPort;
    @Option(names = "--mlflow", description = "MLflow tracking URI (default: MLFLOW_TRACKING_URI, else the configuration's).")
    String mlflow;
    @Option(names = "--sim-port", defaultValue = "8765", description = "Simulator port (sim mode; default ${DEFAULT-VALUE}).")
    int simPort;
    @Option(names = "--bars", description = "Bar store the simulator replays when none runs yet (sim mode).")
    Path bars;
    @Option(names = "--sim-from", description = "Where a started simulator begins (a session date or RFC 3339); leave history before it for the warm-up.")
    String simFrom;
    @Option(names = "--sim-speed", defaultValue = "60", description = "A started simulator's market seconds per real second (default ${DEFAULT-VALUE}).")
    double simSpeed;

    @Override
    public Integer call() {
        Path home = SimProcess.home();
        List<String> args = new ArrayList<>(List.of("run"));
        if (config != null) {
            args.addAll(List.of("--config", config.toAbsolutePath().toString()));
        }
        if (stateDir != null) {
            args.addAll(List.of("--state-dir", stateDir.toAbsolutePath().toString()));
        }
        if (httpPort != null) {
            args.addAll(List.of("--http-port", httpPort.toString()));
        }
        if (mlflow != null) {
            args.addAll(List.of("--mlflow", mlflow));
        }
        if (dryRun) {
            args.add("--dry-run");
        }
        if (paper) {
            args.add("--paper");
        } else if (live) {
            args.add("--live");
            if (confirmed) {
                args.add("--i-mean-real-money");
            }
        } else {
            args.addAll(List.of("--sim-url", simulator(home)));
        }
        return TraderProcess.run(home, args);
    }

    /** The running simulator's URL, starting one if none runs on the port. */
    private String simulator(Path home) {
        Path dir = home.resolve("work").resolve("sim");
        Optional<SimProcess.State> running = SimProcess.read(dir, simPort).filter(SimProcess.State::alive);
        if (running.isPresent()) {
            System.err.println("trading against the simulator already running on port " + simPort);
            return running.get().baseUrl();
        }
        Path store = bars != null ? bars : home.resolve("work").resolve("quickstart").resolve("bars");
        if (!Files.isDirectory(store)) {
            throw new InvalidInputException("no simulator runs on port " + simPort + " and there is no bar store to start one "
                    + "(" + store + "): pass --bars <store>, start one with './foresail sim start', or run "
                    + "'./foresail quickstart' first");
        }
        List<String> simArgs = new ArrayList<>(List.of("--bars", store.toAbsolutePath().toString(), "--port",
                Integer.toString(simPort), "--speed", Double.toString(simSpeed)));
        if (simFrom != null) {
            simArgs.addAll(List.of("--from", simFrom));
        }
        SimProcess.State st = SimProcess.start(home, dir, store, simPort, simArgs);
        System.err.println("started the simulator on " + st.baseUrl() + " (pid " + st.pid() + ", log " + st.log()
                + "); stop it with ./foresail sim stop --port " + simPort);
        return st.baseUrl();
    }
}
