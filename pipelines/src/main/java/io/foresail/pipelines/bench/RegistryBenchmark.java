package io.foresail.pipelines.bench;

import io.foresail.core.io.Directories;
import io.foresail.models.ModelArtifact;
import io.foresail.registry.ModelCache;
import io.foresail.registry.ModelVersion;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import io.foresail.registry.mlflow.MlflowRun;
import io.foresail.registry.mlflow.MlflowTracking;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Register and download throughput of a model artifact (an ensemble) against a running MLflow
 * server: each run publishes the artifact as a new version (upload, size check, registration,
 * READY) in the experiment {@code foresail-bench}, then fetches it into an empty cache (download,
 * checksum and digest verification, atomic rename). Prints the artifact's size and the median
 * MB/s of each (MB = 10^6 bytes).
 */
public final class RegistryBenchmark {
    private final Path model;
    private final MlflowEndpoint endpoint;
    private final int runs;

    public RegistryBenchmark(Path model, MlflowEndpoint endpoint, int runs) {
        this.model = model;
        this.endpoint = endpoint;
        this.runs = runs;
    }

    public void run(PrintWriter o) throws IOException {
        ModelArtifact.verify(model);
        long bytes = Directories.size(model);
        int files = ModelArtifact.digests(model).size() + 1;
        MlflowClient client = MlflowClient.of(endpoint);
        MlflowTracking tracking = new MlflowTracking(client);
        String experiment = tracking.experiment("foresail-bench");
        List<Double> up = new ArrayList<>();
        List<Double> down = new ArrayList<>();
        Path scratch = Files.createTempDirectory("foresail-bench-registry");
        try {
            for (int i = 0; i < runs; i++) {
                MlflowRun run = tracking.startRun(experiment, "registry bench " + i, Map.of());
                MlflowModelRegistry registry = new MlflowModelRegistry(client, new ModelCache(scratch.resolve("cache-" + i)));
                long t0 = System.nanoTime();
                ModelVersion v = registry.publish(run, "foresail-bench", model, "registry benchmark", Map.of());
                up.add((System.nanoTime() - t0) / 1e9);
                run.finish("FINISHED");
                long t1 = System.nanoTime();
                registry.fetch(v);
                down.add((System.nanoTime() - t1) / 1e9);
            }
        } finally {
            Directories.deleteQuietly(scratch);
        }
        o.printf(Locale.ROOT, "artifact_mb: %.2f (%d files, %s)%n", bytes / 1e6, files, model);
        o.printf(Locale.ROOT, "register_s: %.2f (median of %d: upload, size check, registration, READY)%n", median(up), runs);
        o.printf(Locale.ROOT, "register_mb_per_s: %.1f%n", bytes / 1e6 / median(up));
        o.printf(Locale.ROOT, "download_s: %.2f (median of %d: download, verify, atomic rename)%n", median(down), runs);
        o.printf(Locale.ROOT, "download_mb_per_s: %.1f%n", bytes / 1e6 / median(down));
        o.printf(Locale.ROOT, "server: %s, cores: %d%n", endpoint.uri(), Runtime.getRuntime().availableProcessors());
    }

    private static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        return s.get(s.size() / 2);
    }
}
