package io.foresail.pipelines.cli;

import io.foresail.pipelines.sim.SimProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code foresail sim start|status|stop}: the Alpaca simulator as a background process on this machine. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Run the Alpaca simulator: the Trading and Market Data APIs and both streams, replaying a bar store.",
        subcommands = {SimCommand.Start.class, SimCommand.Status.class, SimCommand.Stop.class})
final class SimCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static class Where {
        @Option(names = "--dir", defaultValue = "work/sim", description = "State and logs of running simulators (default ${DEFAULT-VALUE}).")
        Path dir;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a simulator in the background and print how to point a client at it.")
    static final class Start extends Where implements Callable<Integer> {
        @Option(names = "--bars", required = true, description = "Bar store to replay.")
        Path bars;
        @Option(names = "--from", description = "Start: a session date or RFC 3339 (default: the store's first bar).")
        String from;
        @Option(names = "--speed", defaultValue = "60", description = "Market seconds per real second; 0 = stepped by POST /sim/advance (default ${DEFAULT-VALUE}).")
        double speed;
        @Option(names = "--port", defaultValue = "8765", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
        int port;
        @Option(names = "--requests-per-minute", defaultValue = "200", description = "Rate limit (default ${DEFAULT-VALUE}).")
        int requestsPerMinute;
        @Option(names = "--seed", defaultValue = "42", description = "Seed of minute paths and partial fills (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--faults", description = "Fault file: a seed and faults to fire at market times (docs/alpaca-sim.md).")
        Path faults;

        @Override
        public Integer call() {
            List<String> args = new ArrayList<>(List.of("--bars", bars.toAbsolutePath().toString(), "--speed",
                    Double.toString(speed), "--port", Integer.toString(port), "--requests-per-minute",
                    Integer.toString(requestsPerMinute), "--seed", Long.toString(seed)));
            if (from != null) {
                args.addAll(List.of("--from", from));
            }
            if (faults != null) {
                args.addAll(List.of("--faults", faults.toAbsolutePath().toString()));
            }
            SimProcess.State st = SimProcess.start(SimProcess.home(), dir, bars, port, args);
            PrintWriter o = spec.commandLine().getOut();
            String ws = st.baseUrl().replace("http://", "ws://");
            o.printf(Locale.ROOT, "Alpaca simulator running (pid %d), replaying %s at x%s%n", st.pid(), bars,
                    speed == 0 ? "0 (stepped: POST " + st.baseUrl() + "/sim/advance)" : String.valueOf(speed));
            o.println("  trading API:   " + st.baseUrl() + "   (alpaca-py: url_override; the SDK appends /v2)");
            o.println("  market data:   " + st.baseUrl());
            o.println("  trade updates: " + ws + "/stream");
            o.println("  bar stream:    " + ws + "/v2/iex   (or /v2/sip)");
            o.println("  control:       " + st.baseUrl() + "/sim/status, /sim/advance, /sim/speed, /sim/halt, /sim/reset, /sim/ledger");
            o.println("  log:           " + st.log());
            o.println("point a client at it:");
            o.println("  export APCA_API_BASE_URL=" + st.baseUrl() + " APCA_API_DATA_URL=" + st.baseUrl());
            boolean ownKeys = System.getenv("FORESAIL_SIM_KEY_ID") != null;
            o.println("  export APCA_API_KEY_ID=" + (ownKeys ? "$FORESAIL_SIM_KEY_ID" : io.foresail.alpacasim.server.SimServerConfig.DEFAULT_KEY_ID)
                    + " APCA_API_SECRET_KEY=" + (ownKeys ? "$FORESAIL_SIM_SECRET_KEY" : io.foresail.alpacasim.server.SimServerConfig.DEFAULT_SECRET));
            o.println("stop it: ./foresail sim stop --port " + st.port());
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "List the simulators started from this directory and what each reports.")
    static final class Status extends Where implements Callable<Integer> {
        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            List<SimProcess.State> all = SimProcess.list(dir);
            if (all.isEmpty()) {
                o.println("no simulator recorded in " + dir);
                return 0;
            }
            for (SimProcess.State st : all) {
                String report = st.alive() ? SimProcess.status(st).orElse("(not answering)") : "(not running: stale state)";
                o.printf(Locale.ROOT, "port %d  pid %d  %s  bars %s%n  %s%n", st.port(), st.pid(), st.baseUrl(), st.bars(), report);
            }
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the simulator on a port.")
    static final class Stop extends Where implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "8765", description = "Its port (default ${DEFAULT-VALUE}).")
        int port;

        @Override
        public Integer call() {
            boolean stopped = SimProcess.stop(dir, port);
            spec.commandLine().getOut().println(stopped ? "simulator on port " + port + " stopped"
                    : "no simulator was running on port " + port + " (from " + dir + ")");
            return 0;
        }
    }
}
