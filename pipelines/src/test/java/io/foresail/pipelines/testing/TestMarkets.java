package io.foresail.pipelines.testing;

import io.foresail.core.io.Directories;
import io.foresail.core.progress.Progress;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SynthOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Synthetic markets shared by the end-to-end tests: each configuration is generated once into
 * {@code target/test-markets/<key>} and then reused by every test class, fork and rerun that asks
 * for it. The generator is deterministic, so a cached market is the market the test would have
 * made; the key names every setting and the generator version, so a changed generator makes a new
 * one. Generation goes to a private directory renamed into place, so parallel test JVMs never see
 * half a market. Tests treat the directories as read-only.
 */
public final class TestMarkets {
    private static final Path ROOT = Path.of("target", "test-markets");

    private TestMarkets() {
    }

    /** The market of {@code config} (its raw and adjusted bars, corporate actions and oracle). */
    public static synchronized Path of(SynthConfig config) {
        String key = String.join("-", SynthOutput.GENERATOR_VERSION.replace('/', '_'), Integer.toString(config.symbols()),
                config.start().toString(), config.end().toString(), Long.toString(config.seed()),
                Double.toString(config.alphaIc()), config.timeframe().toString(), Integer.toString(config.splits()),
                io.foresail.core.io.Sha256.hex(String.join(",", config.universe().allSymbols())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 8));
        Path dir = ROOT.resolve(key).toAbsolutePath();
        if (Files.isRegularFile(dir.resolve("oracle").resolve("summary.json"))) {
            return dir;
        }
        try {
            Files.createDirectories(ROOT);
            Path staging = Files.createTempDirectory(ROOT, ".staging-");
            try {
                SynthOutput.write(staging.resolve("m"), config, 0, Progress.NONE);
                try {
                    Files.move(staging.resolve("m"), dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IllegalStateException("target/ must allow atomic renames", e);
                } catch (IOException raced) {
                    if (!Files.isDirectory(dir)) {
                        throw raced;
                    }
                    // Another JVM renamed the same market into place first: same bytes, use it.
                }
            } finally {
                Directories.deleteQuietly(staging);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate the test market " + key, e);
        }
    }
}
