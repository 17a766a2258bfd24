package io.foresail.pipelines.trader;

import io.foresail.core.error.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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
        Path target = home.resolve("live-trader").resolve("target");
        Path classpath = target.resolve("classpath.txt");
        Path jar;
        try (Stream<Path> s = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            jar = s.filter(p -> p.getFileName().toString().matches("foresail-live-trader-.*\\.jar")
                    && !p.getFileName().toString().contains("tests")).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (jar == null || !Files.exists(classpath)) {
            throw new InvalidInputException("the trader is not built under " + target
                    + " (run ./foresail once from the repository root, which builds every module)");
        }
        try {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx4g", "-Dforesail.home=" + home, "-Dlog4j2.configurationFile=log4j2-trader.xml",
                    "-cp", jar + java.io.File.pathSeparator + Files.readString(classpath).trim(),
                    "io.foresail.livetrader.app.TraderMain"));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).inheritIO().start();
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
