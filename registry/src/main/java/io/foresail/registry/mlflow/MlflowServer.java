package io.foresail.registry.mlflow;

import io.foresail.core.error.ForesailException;
import io.foresail.registry.python.PythonEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The project's own MLflow tracking server: the pinned {@code mlflow} package
 * ({@value #REQUIREMENTS}) in a project virtualenv, run on 127.0.0.1 with a SQLite backend
 * ({@code <home>/mlflow.db}) and a local artifact root served by the server itself
 * ({@code --serve-artifacts}, files under {@code <home>/artifacts}). The server runs as a
 * separate process that outlives the command that started it; {@code <home>/server.pid} and
 * {@code <home>/server.log} say which process and what it printed.
 */
public final class MlflowServer {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowServer.class);
    public static final String REQUIREMENTS = "foresail/python/mlflow-requirements.txt";
    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final Path venv;
    private final Path home;
    private final int port;

    /**
     * @param venv where the virtualenv lives (created on first start; shared by every home)
     * @param home the server's state: database, artifacts, pid and log
     * @param port the port on 127.0.0.1
     */
    public MlflowServer(Path venv, Path home, int port) {
        this.venv = venv.toAbsolutePath();
        this.home = home.toAbsolutePath();
        this.port = port;
    }

    /** What a status check found. */
    public record Status(boolean running, URI uri, Optional<Long> pid, Path home) {
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path home() {
        return home;
    }

    /** Where the server keeps artifact files on disk. */
    public Path artifactRoot() {
        return home.resolve("artifacts");
    }

    /** The project's Python environment with MLflow, created from the pinned requirements if needed. */
    public PythonEnv python() {
        return PythonEnv.ensure(venv, REQUIREMENTS);
    }

    /**
     * Starts the server unless one already answers on the port, and waits until it is healthy.
     *
     * @throws ForesailException when it does not come up; the message holds the end of its log
     */
    public Status start() {
        if (healthy(uri())) {
            return status();
        }
        PythonEnv env = python();
        try {
            Files.createDirectories(artifactRoot());
            Path log = home.resolve("server.log");
            List<String> command = List.of(env.python().getParent().resolve("mlflow").toString(), "server",
                    "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--backend-store-uri", "sqlite:///" + home.resolve("mlflow.db"),
                    "--artifacts-destination", artifactRoot().toString(), "--serve-artifacts",
                    "--workers", "1");
            ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Process p = pb.start();
            Files.writeString(home.resolve("server.pid"), Long.toString(p.pid()));
            LOG.info("starting MLflow {} (pid {}), state in {}", uri(), p.pid(), home);
            long deadline = System.nanoTime() + STARTUP.toNanos();
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new ForesailException("MLflow server exited with " + p.exitValue() + " during start-up; "
                            + "the end of " + log + ":\n" + tail(log));
                }
                if (healthy(uri())) {
                    return status();
                }
                Thread.sleep(500);
            }
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            throw new ForesailException("MLflow server did not answer on " + uri() + " within " + STARTUP.toSeconds()
                    + " s; the end of " + log + ":\n" + tail(log));
        } catch (IOException e) {
            throw new ForesailException("cannot start the MLflow server in " + home + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForesailException("interrupted while starting MLflow", e);
        }
    }

    /** Stops the server this home started (its process and the workers it spawned); true if one was running. */
    public boolean stop() {
        Optional<ProcessHandle> p = pid().flatMap(ProcessHandle::of);
        try {
            Files.deleteIfExists(home.resolve("server.pid"));
        } catch (IOException e) {
            throw new ForesailException("cannot remove " + home.resolve("server.pid") + ": " + e.getMessage(), e);
        }
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        List<ProcessHandle> tree = new java.util.ArrayList<>(p.get().descendants().toList());
        tree.add(p.get());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        LOG.info("stopped MLflow {} (pid {})", uri(), p.get().pid());
        return true;
    }

    public Status status() {
        return new Status(healthy(uri()), uri(), pid(), home);
    }

    private Optional<Long> pid() {
        Path file = home.resolve("server.pid");
        try {
            return Files.isRegularFile(file) ? Optional.of(Long.parseLong(Files.readString(file).strip())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether an MLflow server answers {@code /health} at {@code uri}. */
    public static boolean healthy(URI uri) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(URI.create(uri + "/health")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
