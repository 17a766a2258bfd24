package io.foresail.pipelines.cli;

import io.foresail.core.error.ForesailException;
import java.io.PrintWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code foresail} command line. Errors print as one line and exit non-zero; {@code --verbose}
 * adds debug logging and stack traces. Run through the {@code ./foresail} launcher, which builds
 * the jar when needed and passes the JVM flags.
 */
@Command(name = "foresail", mixinStandardHelpOptions = true, versionProvider = ForesailCli.Version.class,
        description = "Foresail: an open ML platform for systematic equity trading.",
        subcommands = {DataCommand.class, FeaturesCommand.class, TrainCommand.class, PredictCommand.class, BacktestCommand.class, ModelsCommand.class, MlflowCommand.class,
                QuickstartCommand.class, BenchCommand.class, SimCommand.class, TradeCommand.class, TraderCommand.class, ChaosCommand.class,
                CommandLine.HelpCommand.class})
public final class ForesailCli implements Runnable {
    /** Exit code for errors in the input or the environment. */
    static final int EXIT_ERROR = 1;
    /** Exit code for a data check that ran and failed (validation). */
    static final int EXIT_CHECK_FAILED = 3;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Log at debug level and print stack traces on errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (for tests). */
    public static int run(String... args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        if (verbose) {
            Configurator.setLevel("io.foresail", Level.DEBUG);
        }
        CommandLine cli = new CommandLine(new ForesailCli());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.println("error: " + message(ex));
            err.flush();
            return EXIT_ERROR;
        });
        return cli.execute(args);
    }

    static String message(Throwable ex) {
        if (ex instanceof ForesailException) {
            return ex.getMessage();
        }
        Throwable t = ex;
        while (t.getCause() != null && !(t instanceof ForesailException)) {
            t = t.getCause();
        }
        if (t instanceof ForesailException) {
            return t.getMessage();
        }
        return ex.getClass().getSimpleName() + ": " + ex.getMessage() + " (run with --verbose for details)";
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ForesailCli.class.getPackage().getImplementationVersion();
            return new String[] {"foresail " + (v == null ? "dev" : v)};
        }
    }
}
