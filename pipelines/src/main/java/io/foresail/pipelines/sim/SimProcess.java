package io.foresail.pipelines.sim;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.io.Json;
import io.foresail.pipelines.process.ModuleClasspath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Alpaca simulator as a background process of its own (its JVM has the simulator's classpath:
 * no Spark), started, found and stopped by {@code ./foresail sim}. Each running simulator leaves a
 * state file {@code sim-<port>.json} and its log {@code sim-<port>.log} in the state directory.
 */
public final class SimProcess {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private SimProcess() {
    }

    /** A running simulator as its state file records it. */
    public record State(@JsonProperty("pid") long pid, @JsonProperty("port") int port, @JsonProperty("base_url") String baseUrl,
                        @JsonProperty("bars") String bars, @JsonProperty("started_at") String startedAt,
                        @JsonProperty("log") String log) {
        public boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /**
     * Starts a simulator and waits until it listens.
     *
     * @param args the simulator's own arguments ({@code --bars ... --port ...})
     * @throws InvalidInputException when it is not built, the port's simulator is already running,
     *                               or it exits or stays silent (its log's last lines in the message)
     */
    public static State start(Path home, Path stateDir, Path bars, int port, List<String> args) {
        String classpath = ModuleClasspath.of(home, "alpaca-sim");
        Optional<State> running = read(stateDir, port);
        if (running.isPresent() && running.get().alive()) {
            throw new InvalidInputException("a simulator already runs on port " + port + " (pid " + running.get().pid()
                    + "); ./foresail sim stop --port " + port + " first");
        }
        try {
            Files.createDirectories(stateDir);
            Path log = stateDir.resolve("sim-" + port + ".log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g", "-cp", classpath,
                    "io.foresail.alpacasim.app.SimMain"));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            String baseUrl = null;
            while (baseUrl == null) {
                if (!p.isAlive()) {
                    throw new InvalidInputException("the simulator exited with code " + p.exitValue() + ":\n" + tail(log));
                }
                if (System.nanoTime() > deadline) {
                    p.destroy();
                    throw new InvalidInputException("the simulator did not start within " + START_TIMEOUT.toSeconds()
                            + " s:\n" + tail(log));
                }
                baseUrl = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("listening "))
                        .map(l -> l.substring("listening ".length()).trim()).findFirst().orElse(null);
                if (baseUrl == null) {
                    Thread.sleep(100);
                }
            }
            State st = new State(p.pid(), URI.create(baseUrl).getPort(), baseUrl, bars.toString(), Instant.now().toString(),
                    log.toString());
            Json.PRETTY.writeValue(stateDir.resolve("sim-" + st.port() + ".json").toFile(), st);
            return st;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every simulator recorded in {@code stateDir}. */
    public static List<State> list(Path stateDir) {
        if (!Files.isDirectory(stateDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(stateDir)) {
            return s.filter(p -> p.getFileName().toString().matches("sim-\\d+\\.json")).sorted()
                    .map(SimProcess::readState).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Optional<State> read(Path stateDir, int port) {
        Path f = stateDir.resolve("sim-" + port + ".json");
        return Files.exists(f) ? Optional.of(readState(f)) : Optional.empty();
    }

    private static State readState(Path f) {
        try {
            return Json.MAPPER.readValue(f.toFile(), State.class);
        } catch (IOException e) {
            throw new InvalidInputException("simulator state file " + f + " is unreadable (" + e.getMessage()
                    + "); delete it if no simulator runs");
        }
    }

    /** The simulator's own status ({@code GET /sim/status}) as JSON text, or empty if it does not answer. */
    public static Optional<String> status(State st) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(st.baseUrl() + "/sim/status"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Stops the simulator on {@code port}; false when none was recorded or running. */
    public static boolean stop(Path stateDir, int port) {
        Optional<State> st = read(stateDir, port);
        if (st.isEmpty()) {
            return false;
        }
        boolean was = st.get().alive();
        ProcessHandle.of(st.get().pid()).ifPresent(h -> {
            h.destroy();
            h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(x -> {
                h.destroyForcibly();
                return h;
            }).join();
        });
        try {
            Files.deleteIfExists(stateDir.resolve("sim-" + port + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return was;
    }

    /** The repository root: {@code foresail.home} (set by the launcher), or the nearest directory above with the simulator module. */
    public static Path home() {
        String prop = System.getProperty("foresail.home");
        if (prop != null) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("alpaca-sim").resolve("pom.xml"))) {
                return p;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
