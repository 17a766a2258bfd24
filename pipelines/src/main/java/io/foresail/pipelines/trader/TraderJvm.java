package io.foresail.pipelines.trader;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.core.io.Json;
import io.foresail.pipelines.process.ModuleClasspath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trader in a JVM of its own ({@code io.foresail.livetrader.app.TraderMain} on the live-trader
 * jar and its runtime classpath: no Spark), as the CLI, the chaos suite and the benchmark start
 * it. {@link #start} returns once the trader answers {@code /ready}; {@link #kill9} is SIGKILL,
 * {@link #stop} SIGTERM (the trader finishes its bar). The caller stops it.
 */
public final class TraderJvm implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final URI http;

    private TraderJvm(Process process, URI http) {
        this.process = process;
        this.http = http;
    }

    /** The java command line that runs the trader's main with {@code args}. */
    public static List<String> command(Path home, String heap, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-Dforesail.home=" + home, "-Dlog4j2.configurationFile=log4j2-trader.xml",
                    // The trader's own shutdown hook logs its close; log4j's would stop logging first.
                    "-Dlog4j2.shutdownHookEnabled=false",
                "-cp", ModuleClasspath.of(home, "live-trader"), "io.foresail.livetrader.app.TraderMain"));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Starts {@code TraderMain run} with {@code args} (which must name {@code --state-dir stateDir}),
     * its output appended to {@code log}, and waits until it is ready.
     *
     * @throws IllegalStateException when it exits or is not ready in time (the log says why)
     */
    public static TraderJvm start(Path home, List<String> args, Map<String, String> env, Path stateDir, Path log,
                                  Duration timeout) {
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command(home, "1g", all)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        try {
            Files.deleteIfExists(stateDir.resolve("trader.json")); // a killed trader's
            Process p = pb.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            Path me = stateDir.resolve("trader.json");
            String lastAnswer = "no answer yet";
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the trader exited with " + p.exitValue() + " while starting; see " + log);
                }
                if (Files.exists(me)) {
                    try {
                        JsonNode j = Json.MAPPER.readTree(me.toFile());
                        if (j.path("pid").asLong() == p.pid()) {
                            URI http = URI.create(j.path("http").asText());
                            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(http.resolve("/ready"))
                                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                return new TraderJvm(p, http);
                            }
                            lastAnswer = r.body();
                        }
                    } catch (IOException e) {
                        // being written, or not listening yet
                    }
                }
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("the trader was not ready within " + timeout.toSeconds() + " s (/ready: "
                            + lastAnswer + "); see " + log);
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the trader started", e);
        }
    }

    public URI http() {
        return http;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, and waits for the process to be gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM: the trader finishes the bar in progress and closes; returns its exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    /** The process's resident set in bytes ({@code /proc}), or -1 where that cannot be read. */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Writes the trader's live heap to {@code file} (HPROF, {@code jcmd GC.heap_dump}); false where that failed. */
    public boolean heapDump(Path file) {
        return jcmd("GC.heap_dump", file.toAbsolutePath().toString()) != null && Files.isRegularFile(file);
    }

    /**
     * The trader's live objects by class after the full GC it makes ({@code jcmd GC.class_histogram}:
     * rank, instances, bytes, class per line, a Total line last): what a leak would grow, where the
     * resident set also grows while the JVM expands its heap. Empty where jcmd is not available.
     */
    public String classHistogram() {
        String out = jcmd("GC.class_histogram");
        return out == null ? "" : out;
    }

    /** Runs {@code jcmd PID command...}; its output, or null where jcmd is missing or failed. */
    private String jcmd(String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(process.pid())));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** GET {@code path} on the trader's HTTP endpoint, as text. */
    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(http.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST {@code pathAndQuery} on the trader's HTTP endpoint. */
    public HttpResponse<String> post(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(http + pathAndQuery)).POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
