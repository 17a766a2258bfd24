package io.foresail.pipelines.trader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The trader's own JVM, started from the CLI: the live-trader jar and its runtime classpath (no
 * Spark, no Hadoop: the build enforces it), {@code io.foresail.livetrader.app.TraderMain} with the
 * given arguments, its output on this terminal. A SIGTERM or Ctrl-C to the CLI reaches it as a
 * SIGTERM, so it finishes its bar and closes cleanly.
 */
public final class TraderProcess {
    private TraderProcess() {
    }

    /** Runs the trader's main with {@code args} and returns its exit code. */
    public static int run(Path home, List<String> args) {
        try {
            Process p = new ProcessBuilder(TraderJvm.command(home, "4g", args)).inheritIO().start();
            Thread forward = new Thread(() -> {
                p.destroy(); // SIGTERM: the trader finishes its bar and closes
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "trader-stop");
            Runtime.getRuntime().addShutdownHook(forward);
            int code = p.waitFor();
            try {
                Runtime.getRuntime().removeShutdownHook(forward);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs
            }
            return code;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the trader ran", e);
        }
    }
}
