package io.foresail.pipelines.cli;

import io.foresail.registry.mlflow.MlflowServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code foresail mlflow start|stop|status}: the project's own MLflow server on 127.0.0.1. */
@Command(name = "mlflow", mixinStandardHelpOptions = true,
        description = "Run the project's MLflow server (pinned, in a virtualenv; SQLite backend, artifacts served by the server).",
        subcommands = {MlflowCommand.Start.class, MlflowCommand.Stop.class, MlflowCommand.Status.class})
final class MlflowCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the server lives; shared by the three subcommands. */
    static class Where {
        @Option(names = "--home", defaultValue = "work/mlflow", description = "Server state: database, artifacts, log (default ${DEFAULT-VALUE}).")
        Path home;
        @Option(names = "--port", defaultValue = "5000", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
        int port;
        @Option(names = "--venv", defaultValue = "work/venv-mlflow", description = "The virtualenv with the pinned mlflow (default ${DEFAULT-VALUE}).")
        Path venv;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        MlflowServer server() {
            return new MlflowServer(venv, home, port);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start the server (installs MLflow on first use).")
    static final class Start extends Where implements Callable<Integer> {
        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            MlflowServer s = server();
            MlflowServer.Status st = s.start();
            o.println("MLflow is running at " + st.uri() + st.pid().map(p -> " (pid " + p + ")").orElse(""));
            o.println("  state: " + st.home() + " (mlflow.db, artifacts/, server.log)");
            o.println("  use it: export MLFLOW_TRACKING_URI=" + st.uri());
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the server started from this home.")
    static final class Stop extends Where implements Callable<Integer> {
        @Override
        public Integer call() {
            boolean stopped = server().stop();
            spec.commandLine().getOut().println(stopped ? "MLflow stopped" : "no MLflow server was running from " + home);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Say whether the server answers; exit 1 if not.")
    static final class Status extends Where implements Callable<Integer> {
        @Override
        public Integer call() {
            MlflowServer.Status st = server().status();
            spec.commandLine().getOut().println(st.running() ? "running at " + st.uri() + st.pid().map(p -> " (pid " + p + ")").orElse("")
                    : "not running at " + st.uri() + " (start it with './foresail mlflow start')");
            return st.running() ? 0 : 1;
        }
    }
}
