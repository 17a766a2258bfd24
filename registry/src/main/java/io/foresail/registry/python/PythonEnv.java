package io.foresail.registry.python;

import io.foresail.core.error.ForesailException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A project-owned Python virtualenv, created on first use from pinned requirements shipped in
 * the jar ({@code foresail/python/*-requirements.txt}), with packages from the package index only.
 * A marker file holds the requirements it was built from; changed pins rebuild it.
 */
public final class PythonEnv {
    private static final Logger LOG = LoggerFactory.getLogger(PythonEnv.class);
    private static final String MARKER = ".foresail-requirements";

    private final Path dir;

    private PythonEnv(Path dir) {
        this.dir = dir;
    }

    /**
     * The virtualenv in {@code dir} with {@code requirementsResource} installed, creating or
     * updating it as needed (needs {@code python3} on PATH and access to the package index).
     */
    public static PythonEnv ensure(Path dir, String requirementsResource) {
        String requirements = resource(requirementsResource);
        try {
            Path marker = dir.resolve(MARKER);
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(requirements)
                    && Files.isExecutable(dir.resolve("bin/python"))) {
                return new PythonEnv(dir);
            }
            LOG.info("creating Python virtualenv {} from {}", dir, requirementsResource);
            Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
            exec(List.of("python3", "-m", "venv", dir.toString()), dir.getParent(), 600);
            Path req = Files.createTempFile("foresail-requirements", ".txt");
            Files.writeString(req, requirements, StandardCharsets.UTF_8);
            exec(List.of(dir.resolve("bin/python").toString(), "-m", "pip", "install", "--disable-pip-version-check",
                    "-q", "-r", req.toString()), dir, 1800);
            Files.delete(req);
            Files.writeString(marker, requirements, StandardCharsets.UTF_8);
            return new PythonEnv(dir);
        } catch (IOException e) {
            throw new ForesailException("cannot set up the Python virtualenv in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path python() {
        return dir.resolve("bin/python");
    }

    /** Copies a script shipped in the jar to {@code target} and returns its path. */
    public static Path script(String resource, Path target) {
        try (InputStream in = PythonEnv.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ForesailException("resource " + resource + " is missing from the build");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new ForesailException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Runs a command; returns its stdout; fails with its output when it exits non-zero. */
    public static String exec(List<String> command, Path workDir, long timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
            if (workDir != null && Files.isDirectory(workDir)) {
                pb.directory(workDir.toFile());
            }
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ForesailException(command.get(0) + " timed out after " + timeoutSeconds + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new ForesailException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new ForesailException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForesailException("interrupted running " + command.get(0), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = PythonEnv.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new ForesailException("resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ForesailException("cannot read resource " + name, e);
        }
    }
}
