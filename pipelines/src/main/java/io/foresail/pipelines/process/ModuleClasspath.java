package io.foresail.pipelines.process;

import io.foresail.core.error.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The runtime classpath of one of the repository's modules as the build leaves it: the module's
 * jar under {@code <module>/target} and the {@code classpath.txt} its package phase writes (the
 * simulator's and the trader's JVMs run on these, so neither carries Spark).
 */
public final class ModuleClasspath {
    private ModuleClasspath() {
    }

    /**
     * {@code jar:dependencies} of {@code module} (e.g. {@code live-trader}).
     *
     * @throws InvalidInputException when the module is not built, naming what to run
     */
    public static String of(Path home, String module) {
        Path target = home.resolve(module).resolve("target");
        Path classpath = target.resolve("classpath.txt");
        Path jar;
        try (Stream<Path> s = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            jar = s.filter(p -> p.getFileName().toString().matches("foresail-" + module + "-.*\\.jar")
                    && !p.getFileName().toString().contains("tests")).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (jar == null || !Files.exists(classpath)) {
            throw new InvalidInputException("the " + module + " module is not built under " + target
                    + " (run ./foresail once from the repository root, which builds every module)");
        }
        try {
            return jar + java.io.File.pathSeparator + Files.readString(classpath).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
