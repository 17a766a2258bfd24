package io.foresail.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A second (third, ...) JVM started from a test with the test's own class path, for the checks that
 * one process cannot make: bytes identical across processes, native libraries shared by concurrent
 * processes. Output goes to a log file so that a failure can quote it. Close to kill it.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with {@code args} and this process's environment, changed by {@code env}
     * (a blank value removes the variable).
     */
    public static ChildJvm start(Class<?> mainClass, Path log, Map<String, String> env, String... args) throws IOException {
        return startUnder(List.of(), mainClass, log, env, args);
    }

    /**
     * The same, the JVM run by {@code wrapper} (a command that runs the rest of its command line
     * under other limits, e.g. {@code prlimit} or {@code setpriv}; empty: none).
     */
    public static ChildJvm startUnder(List<String> wrapper, Class<?> mainClass, Path log, Map<String, String> env,
                                      String... args) throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags());
        cmd.add("-Xmx2g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        env.forEach((k, v) -> {
            if (v.isBlank()) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        return new ChildJvm(pb.start(), log);
    }

    /** The JVM flags this test JVM was started with that a child needs too (add-opens and system properties). */
    private static List<String> jvmFlags() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty"))
                .toList();
    }

    /** Waits for the exit and returns the exit code; fails the test on a time-out. */
    public int await(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish within " + timeout + " " + unit + "; log:\n" + output());
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Everything the child printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
