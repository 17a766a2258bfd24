package io.foresail.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelIntegrityException;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.linear.RidgeTrainer;
import io.foresail.registry.mlflow.MlModelFile;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowException;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import io.foresail.registry.mlflow.MlflowRun;
import io.foresail.registry.mlflow.MlflowServer;
import io.foresail.registry.mlflow.MlflowTracking;
import io.foresail.models.FitProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry against a real MLflow server over HTTP: runs with params, stepped metrics and tags;
 * a model published, registered with an MLmodel signature, aliased, tagged, downloaded into the
 * cache and reloaded bit for bit; and the faults: a server that is down, an upload that fails
 * midway, a corrupted artifact.
 */
class MlflowRegistryTest {
    private static final List<String> FEATURES = IntStream.range(0, 5).mapToObj(i -> "feat_" + i).toList();
    private static MlflowServer server;
    private static MlflowClient client;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        server = MlflowTestServer.get();
        client = MlflowClient.of(MlflowEndpoint.of(server.uri()));
    }

    private static TrainingData rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * FEATURES.size()];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES.size(); j++) {
                x[i * FEATURES.size() + j] = (float) r.nextGaussian();
            }
            y[i] = (float) (0.4 * x[i * FEATURES.size()] - 0.2 * x[i * FEATURES.size() + 3] + r.nextGaussian());
        }
        return new TrainingData(new FeatureMatrix(x, n, FEATURES.size()), y);
    }

    /** A real fitted model, saved: what gets registered. */
    private Path savedModel(String dir, double[] predictionsOut, FeatureMatrix probe) {
        RidgeTrainer t = new RidgeTrainer();
        FitRequest fit = new FitRequest(rows(2000, 1), rows(500, 2), new FitProvenance(Task.REGRESSION, t.searchSpace().withOverrides(Map.of()),
                FEATURES, "label_fwd_1_raw", "0123456789abcdef", "2023-01-03T14:30:00Z", "2023-06-30T19:45:00Z", 7, 1));
        Path out = tmp.resolve(dir);
        try (Model m = t.fit(fit)) {
            double[] p = m.predict(probe);
            System.arraycopy(p, 0, predictionsOut, 0, p.length);
            ModelArtifact.save(m, out, Map.of("test_rank_ic", 0.05));
        }
        return out;
    }

    private static long[] bits(double[] v) {
        return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    @Test
    void runsKeepParamsSteppedMetricsAndTags() {
        MlflowTracking tracking = new MlflowTracking(client);
        String experiment = tracking.experiment("foresail-test-runs");
        assertThat(tracking.experiment("foresail-test-runs")).as("get, not create again").isEqualTo(experiment);
        MlflowRun run = tracking.startRun(experiment, "fold metrics", Map.of("foresail.feature_set_id", "abc123"));
        run.logParams(Map.of("xgboost.eta", "0.05", "walk_forward.train_months", "24"));
        run.logMetrics(List.of(new MlflowRun.Metric("test_rank_ic", 0.021, 0, 1000), new MlflowRun.Metric("test_rank_ic", 0.034, 1, 2000),
                new MlflowRun.Metric("auc", Double.NaN, 0, 1000)));
        run.setTags(Map.of("git_commit", "deadbeef"));
        run.finish("FINISHED");

        JsonNode r = tracking.run(run.id());
        assertThat(r.path("info").path("status").asText()).isEqualTo("FINISHED");
        Map<String, String> params = new java.util.TreeMap<>();
        r.path("data").path("params").forEach(p -> params.put(p.path("key").asText(), p.path("value").asText()));
        assertThat(params).containsEntry("xgboost.eta", "0.05").containsEntry("walk_forward.train_months", "24");
        Map<String, String> tags = new java.util.TreeMap<>();
        r.path("data").path("tags").forEach(p -> tags.put(p.path("key").asText(), p.path("value").asText()));
        assertThat(tags).containsEntry("git_commit", "deadbeef").containsEntry("foresail.feature_set_id", "abc123");
        JsonNode history = client.get("metrics/get-history", Map.of("run_id", run.id(), "metric_key", "test_rank_ic"))
                .path("metrics");
        assertThat(history).hasSize(2);
        assertThat(history.get(1).path("step").asLong()).isEqualTo(1);
        assertThat(history.get(1).path("value").asDouble()).isEqualTo(0.034);
        JsonNode auc = client.get("metrics/get-history", Map.of("run_id", run.id(), "metric_key", "auc")).path("metrics");
        assertThat(auc.get(0).path("value").asText()).as("NaN is kept, not dropped").isEqualTo("NaN");
    }

    @Test
    void artifactsGoIntoTheirDirectoryUnderTheirOwnNames(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        MlflowTracking tracking = new MlflowTracking(client);
        MlflowRun run = tracking.startRun(tracking.experiment("foresail-test-runs"), "artifacts", Map.of());
        Path a = java.nio.file.Files.writeString(tmp.resolve("report.json"), "{}");
        Path b = java.nio.file.Files.writeString(tmp.resolve("report.txt"), "text");
        run.logArtifact(a, "reports");
        run.logArtifact(b, "reports");
        java.nio.file.Files.createDirectories(tmp.resolve("plots/fold-0"));
        java.nio.file.Files.writeString(tmp.resolve("plots/fold-0/ic.png"), "png");
        assertThat(run.logArtifacts(tmp.resolve("plots"), "plots")).containsExactly("fold-0/ic.png");
        run.finish("FINISHED");
        assertThat(client.list(run.artifactRoot() + "/reports")).extracting(MlflowClient.ArtifactFile::path)
                .as("two files in a directory, not one artifact overwritten")
                .containsExactlyInAnyOrder("report.json", "report.txt");
        assertThat(client.list(run.artifactRoot() + "/plots/fold-0")).extracting(MlflowClient.ArtifactFile::path)
                .containsExactly("ic.png");
    }

    @Test
    void publishAliasTagFetchAndReloadBitIdentically() throws IOException {
        FeatureMatrix probe = rows(50, 9).x();
        double[] expected = new double[50];
        Path model = savedModel("m1", expected, probe);
        String name = "foresail-test-publish";
        MlflowModelRegistry registry = new MlflowModelRegistry(client, new ModelCache(tmp.resolve("cache")));
        MlflowTracking tracking = new MlflowTracking(client);
        MlflowRun run = tracking.startRun(tracking.experiment("foresail-test-registry"), "publish", Map.of());
        ModelVersion v = registry.publish(run, name, model, "a ridge", Map.of("foresail.feature_set_id", "0123456789abcdef"));
        run.finish("FINISHED");
        assertThat(v.status()).isEqualTo("READY");
        assertThat(v.runId()).isEqualTo(run.id());
        assertThat(v.tags()).containsEntry("foresail.feature_set_id", "0123456789abcdef")
                .containsKey(MlflowModelRegistry.CHECKSUMS_TAG);

        registry.setAlias(name, "challenger", v.version());
        assertThat(registry.resolve(ModelRef.parse(name + "@challenger")).version()).isEqualTo(v.version());
        assertThat(registry.alias(name, "champion")).isEmpty();
        registry.setAlias(name, "champion", v.version());
        registry.setTags(name, v.version(), Map.of("promoted_by", "test", "promotion_reason", "first"));
        ModelVersion listed = registry.versions(name).get(0);
        assertThat(listed.aliases()).containsExactly("challenger", "champion");
        assertThat(listed.tags()).containsEntry("promoted_by", "test");
        registry.deleteAlias(name, "challenger");
        assertThat(registry.alias(name, "challenger")).isEmpty();
        assertThatThrownBy(() -> registry.resolve(ModelRef.parse(name + "@challenger")))
                .hasMessageContaining("has no alias 'challenger'").hasMessageContaining("champion");

        Path fetched = registry.fetch(registry.resolve(ModelRef.parse("models:/" + name + "@champion")));
        assertThat(fetched.resolve(MlModelFile.FILE)).exists();
        String mlmodel = Files.readString(fetched.resolve(MlModelFile.FILE));
        assertThat(mlmodel).contains("signature:").contains("\"name\":\"feat_0\"").contains("\"name\":\"prediction\"");
        try (Model loaded = ModelArtifact.load(fetched)) {
            assertThat(loaded.card().features()).isEqualTo(FEATURES);
            assertThat(bits(loaded.predict(probe))).isEqualTo(bits(expected));
        }
        assertThat(registry.fetch(v)).as("a second fetch is a cache hit").isEqualTo(fetched);
    }

    @Test
    void promotionIsGatedOnStoredMetricsAndRecordsWhoWhenAndWhy() {
        String name = "foresail-test-promote";
        MlflowModelRegistry registry = new MlflowModelRegistry(client, new ModelCache(tmp.resolve("cache")));
        MlflowTracking tracking = new MlflowTracking(client);
        MlflowRun run = tracking.startRun(tracking.experiment("foresail-test-registry"), "promote", Map.of());
        Path model = savedModel("p", new double[1], rows(1, 1).x());
        ModelVersion strong = registry.publish(run, name, model, "", Map.of(Promotion.METRIC_TAG, "0.031"));
        ModelVersion weak = registry.publish(run, name, model, "", Map.of(Promotion.METRIC_TAG, "0.012"));
        ModelVersion unknown = registry.publish(run, name, model, "", Map.of());
        // Three versions from one run: each keeps its own files, so each still verifies.
        assertThat(java.util.stream.Stream.of(strong, weak, unknown).map(ModelVersion::source).distinct()).hasSize(3);
        for (ModelVersion v : List.of(strong, weak, unknown)) {
            assertThat(new MlflowModelRegistry(client, new ModelCache(tmp.resolve("verify-" + v.version()))).fetch(v)).isDirectory();
        }
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-11-22T10:00:00Z"), java.time.ZoneOffset.UTC);

        Promotion.Result first = Promotion.promote(registry, name, strong.version(), "champion", "best walk-forward IC",
                "alice", false, clock);
        assertThat(first.previous()).isEmpty();
        assertThat(first.promoted().aliases()).contains("champion");
        assertThat(first.promoted().tags()).containsEntry("foresail.promoted_by", "alice")
                .containsEntry("foresail.promoted_at", "2026-11-22T10:00:00Z")
                .containsEntry("foresail.promotion_reason", "best walk-forward IC")
                .containsEntry("foresail.promoted_from", "none");

        assertThatThrownBy(() -> Promotion.promote(registry, name, weak.version(), "champion", "try", "bob", false, clock))
                .hasMessageContaining("promotion refused").hasMessageContaining("0.0120").hasMessageContaining("0.0310")
                .hasMessageContaining("--force");
        assertThatThrownBy(() -> Promotion.promote(registry, name, unknown.version(), "champion", "try", "bob", false, clock))
                .hasMessageContaining("has no stored out-of-sample metric");
        assertThatThrownBy(() -> Promotion.promote(registry, name, weak.version(), "champion", " ", "bob", true, clock))
                .hasMessageContaining("--reason is required");
        assertThat(registry.alias(name, "champion").orElseThrow().version()).as("refusals move nothing")
                .isEqualTo(strong.version());

        Promotion.Result forced = Promotion.promote(registry, name, weak.version(), "champion", "regime change", "bob", true, clock);
        assertThat(forced.forced()).isTrue();
        assertThat(forced.previous().orElseThrow().version()).isEqualTo(strong.version());
        assertThat(forced.promoted().tags()).containsEntry("foresail.promoted_from", strong.version())
                .containsEntry("foresail.promotion_forced", "true");
        assertThat(registry.resolve(ModelRef.alias(name, "champion")).version()).isEqualTo(weak.version());
    }

    /**
     * Six promoters, released together by a barrier, each promote another version to champion. Each
     * must be gated against the version it really replaces: the successful promotions form one chain
     * from the first champion (every one names its true predecessor, none is worse than it), the
     * alias ends on the last of them, and every refusal is explained.
     */
    @Test
    void concurrentPromotionsAreSerialisedAndEachIsGatedAgainstItsTruePredecessor() throws Exception {
        String name = "foresail-test-promote-race";
        MlflowModelRegistry registry = new MlflowModelRegistry(client, new ModelCache(tmp.resolve("cache")));
        MlflowTracking tracking = new MlflowTracking(client);
        MlflowRun run = tracking.startRun(tracking.experiment("foresail-test-registry"), "promote race", Map.of());
        Path model = savedModel("race", new double[1], rows(1, 1).x());
        java.time.Clock clock = java.time.Clock.systemUTC();
        ModelVersion first = registry.publish(run, name, model, "", Map.of(Promotion.METRIC_TAG, "0.010"));
        Promotion.promote(registry, name, first.version(), "champion", "seed", "test", false, clock);
        double[] metrics = {0.020, 0.030, 0.015, 0.025, 0.040, 0.012};
        Map<String, Double> metricOf = new java.util.HashMap<>(Map.of(first.version(), 0.010));
        List<ModelVersion> candidates = new java.util.ArrayList<>();
        for (double m : metrics) {
            ModelVersion v = registry.publish(run, name, model, "", Map.of(Promotion.METRIC_TAG, Double.toString(m)));
            candidates.add(v);
            metricOf.put(v.version(), m);
        }
        run.finish("FINISHED");

        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(candidates.size());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(candidates.size());
        List<java.util.concurrent.Future<Object>> outcomes = new java.util.ArrayList<>();
        for (ModelVersion v : candidates) {
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    return Promotion.promote(registry, name, v.version(), "champion", "race", "promoter-" + v.version(), false, clock);
                } catch (io.foresail.core.error.InvalidInputException refused) {
                    return refused;
                }
            }));
        }
        Map<String, String> predecessorOf = new java.util.HashMap<>();
        for (java.util.concurrent.Future<Object> f : outcomes) {
            Object o = f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            if (o instanceof Promotion.Result r) {
                String from = r.previous().orElseThrow().version();
                assertThat(predecessorOf.put(from, r.promoted().version()))
                        .as("two promotions both replaced %s/%s", name, from).isNull();
                assertThat(metricOf.get(r.promoted().version())).as("never worse than what it replaced")
                        .isGreaterThanOrEqualTo(metricOf.get(from));
            } else {
                assertThat(((Exception) o).getMessage()).contains("promotion refused").contains("worse than @champion");
            }
        }
        pool.shutdown();
        // One chain from the first champion through every success; the alias is on its end.
        String holder = first.version();
        int links = 0;
        while (predecessorOf.containsKey(holder)) {
            holder = predecessorOf.get(holder);
            links++;
        }
        assertThat(links).as("every success is a link of the one chain").isEqualTo(predecessorOf.size()).isPositive();
        assertThat(registry.alias(name, "champion").orElseThrow().version()).isEqualTo(holder);
        assertThat(metricOf.get(holder)).as("the best candidate can only be refused by a better holder").isEqualTo(0.040);
        assertThat(lockModels()).as("no lock left behind").isEmpty();
    }

    @Test
    void aRegistryLockExcludesOthersUntilReleasedAndAnExpiredOneIsTakenOver() throws Exception {
        MlflowModelRegistry registry = new MlflowModelRegistry(client, new ModelCache(tmp.resolve("cache")));
        java.time.Duration minute = java.time.Duration.ofMinutes(1);
        try (RegistryLock held = registry.lock("test:exclusive", minute, java.time.Duration.ZERO)) {
            assertThatThrownBy(() -> registry.lock("test:exclusive", minute, java.time.Duration.ofMillis(300)))
                    .hasMessageContaining("the registry lock 'test:exclusive' is held by")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            registry.lock("test:other-key", minute, java.time.Duration.ZERO).close();
        }
        registry.lock("test:exclusive", minute, java.time.Duration.ZERO).close();

        // A holder that died: its lease runs out and the next taker overtakes it; its late release is harmless.
        RegistryLock dead = registry.lock("test:expiring", java.time.Duration.ofMillis(200), java.time.Duration.ZERO);
        Thread.sleep(400);
        try (RegistryLock taker = registry.lock("test:expiring", minute, java.time.Duration.ofSeconds(5))) {
            dead.close();
            assertThatThrownBy(() -> registry.lock("test:expiring", minute, java.time.Duration.ZERO))
                    .as("the taker still holds it after the dead holder's release").hasMessageContaining("is held by");
        }
        assertThat(lockModels()).isEmpty();
    }

    private static List<String> lockModels() {
        List<String> out = new java.util.ArrayList<>();
        client.get("registered-models/search", Map.of("max_results", "1000")).path("registered_models")
                .forEach(m -> {
                    if (m.path("name").asText().startsWith(MlflowModelRegistry.LOCK_PREFIX)) {
                        out.add(m.path("name").asText());
                    }
                });
        return out;
    }

    @Test
    void corruptedArtifactFailsVerificationAndTheCachedGoodVersionIsKept() throws IOException {
        FeatureMatrix probe = rows(20, 9).x();
        double[] expected = new double[20];
        Path model = savedModel("m2", expected, probe);
        String name = "foresail-test-corrupt";
        MlflowModelRegistry registry = new MlflowModelRegistry(client, new ModelCache(tmp.resolve("cache")));
        MlflowTracking tracking = new MlflowTracking(client);
        MlflowRun run = tracking.startRun(tracking.experiment("foresail-test-registry"), "corrupt", Map.of());
        ModelVersion v = registry.publish(run, name, model, "", Map.of());
        Path good = registry.fetch(v);

        // Damage the server's copy of the weights on disk.
        Path stored;
        try (Stream<Path> s = Files.walk(server.artifactRoot())) {
            stored = s.filter(p -> p.toString().contains(run.id()) && p.getFileName().toString().equals("ridge.json"))
                    .findFirst().orElseThrow();
        }
        Files.writeString(stored, Files.readString(stored).replaceFirst("\\d", "7") + " ");

        assertThatThrownBy(() -> registry.fetch(v, true)).isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("ridge.json");
        try (Model kept = ModelArtifact.load(good)) {
            assertThat(bits(kept.predict(probe))).as("the cached good version").isEqualTo(bits(expected));
        }
        MlflowModelRegistry fresh = new MlflowModelRegistry(client, new ModelCache(tmp.resolve("empty-cache")));
        assertThatThrownBy(() -> fresh.fetch(v)).isInstanceOf(ModelIntegrityException.class);
        try (Stream<Path> left = Files.walk(tmp.resolve("empty-cache"))) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("no partial download is left to use").isEmpty();
        }
    }

    @Test
    void anUploadThatFailsMidwayRegistersNothing() throws IOException {
        AtomicInteger puts = new AtomicInteger();
        HttpServer proxy = faultyProxy(server.uri(), "model.json", puts);
        try {
            MlflowClient flaky = MlflowClient.of(MlflowEndpoint.of(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort())),
                    2, Duration.ofMillis(10), Duration.ofSeconds(30));
            MlflowModelRegistry registry = new MlflowModelRegistry(flaky, new ModelCache(tmp.resolve("cache")));
            MlflowTracking tracking = new MlflowTracking(flaky);
            MlflowRun run = tracking.startRun(tracking.experiment("foresail-test-registry"), "midway", Map.of());
            Path model = savedModel("m3", new double[1], rows(1, 1).x());
            String name = "foresail-test-midway";
            assertThatThrownBy(() -> registry.publish(run, name, model, "", Map.of()))
                    .isInstanceOf(MlflowException.class).hasMessageContaining("model.json").hasMessageContaining("500");
            assertThat(puts.get()).as("files went up before the failure").isGreaterThanOrEqualTo(2);
            MlflowModelRegistry direct = new MlflowModelRegistry(client, new ModelCache(tmp.resolve("c2")));
            assertThatThrownBy(() -> direct.versions(name)).hasMessageContaining("no registered model named");
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void aServerThatIsDownGivesAClearErrorAfterBoundedRetries() {
        int port = MlflowTestServer.freePort();
        MlflowEndpoint endpoint = MlflowEndpoint.fromEnvironment(Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + port,
                "MLFLOW_TRACKING_USERNAME", "quant", "MLFLOW_TRACKING_PASSWORD", "s3cret-pa55"), MlflowEndpoint.DEFAULT_URI);
        MlflowClient down = MlflowClient.of(endpoint, 3, Duration.ofMillis(50), Duration.ofSeconds(5));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> new MlflowTracking(down).experiment("x"))
                .isInstanceOf(MlflowException.class)
                .hasMessageContaining("http://127.0.0.1:" + port + " is unreachable")
                .hasMessageContaining("failed 3 times")
                .hasMessageContaining("foresail mlflow start")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-pa55").doesNotContain("quant"));
        assertThat((System.nanoTime() - t0) / 1e9).as("bounded: 50 + 100 ms of back-off").isLessThan(10);
        assertThat(endpoint.toString()).doesNotContain("s3cret-pa55").contains("authenticated");
    }

    /** Forwards to MLflow, but answers 500 to every upload of a file named {@code failing}. */
    private static HttpServer faultyProxy(URI target, String failing, AtomicInteger puts) throws IOException {
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpClient http = HttpClient.newHttpClient();
        proxy.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getRawPath();
                if (ex.getRequestMethod().equals("PUT")) {
                    if (path.endsWith("/" + failing)) {
                        ex.sendResponseHeaders(500, -1);
                        return;
                    }
                    puts.incrementAndGet();
                }
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readAllBytes();
                }
                String query = ex.getRequestURI().getRawQuery();
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
                        .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                if (type != null) {
                    b.header("Content-Type", type);
                }
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        proxy.start();
        return proxy;
    }
}
