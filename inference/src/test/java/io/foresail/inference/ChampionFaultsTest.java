package io.foresail.inference;

import io.foresail.features.engine.FeatureFrame;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.registry.MlflowTestServer;
import io.foresail.registry.ModelVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The champion under faults, through a proxy in front of the real MLflow test server: the server
 * down for a while (the model keeps serving, polling backs off, a promotion made meanwhile is
 * picked up once it is back), a download that stalls (refused, the model keeps serving), and the
 * alias moved back and forth while predictions run without pause (none fails, each names the
 * version that made it and equals that version's own prediction).
 */
class ChampionFaultsTest {
    @TempDir
    Path dir;

    @Test
    void aServerDownForAWhileKeepsTheModelServingAndAPromotionMadeMeanwhileLandsWhenItIsBack() throws Exception {
        try (FlakyMlflow proxy = new FlakyMlflow(MlflowTestServer.get().uri())) {
            InferenceWorld direct = new InferenceWorld(dir.resolve("direct"), MlflowTestServer.get().uri());
            InferenceWorld viaProxy = new InferenceWorld(dir, proxy.uri(), 2, Duration.ofMillis(20), Duration.ofSeconds(5));
            String name = "faults-down-" + ProcessHandle.current().pid();
            List<ModelVersion> versions = direct.champions(name, 2, false);
            ModelVersion v1 = versions.get(0);
            ModelVersion v2 = versions.get(1);
            InferenceMetrics metrics = new InferenceMetrics();
            ChampionWatcher.Settings settings = ChampionWatcher.Settings.of(name)
                    .withPolling(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2));
            List<FeatureFrame> frames = viaProxy.frames(40, 3);
            try (ChampionWatcher w = new ChampionWatcher(viaProxy.registry, viaProxy.running, settings, metrics, Clock.systemUTC())) {
                w.start();
                await(() -> w.serving().isPresent(), Duration.ofSeconds(30));
                assertThat(w.serving().orElseThrow().version()).isEqualTo(v1.version());
                ChampionPredictor predictor = new ChampionPredictor(w, viaProxy.running, metrics);

                proxy.mode(FlakyMlflow.Mode.DOWN);
                direct.registry.setAlias(name, "champion", v2.version());
                long failuresBefore = metrics.snapshot().registryFailures();
                for (FeatureFrame f : frames.subList(0, 20)) {
                    assertThat(predictor.predict(f).version().version()).as("the registry is down").isEqualTo(v1.version());
                    Thread.sleep(100);
                }
                assertThat(metrics.snapshot().registryFailures()).isGreaterThan(failuresBefore);
                assertThat(w.serving().orElseThrow().version()).isEqualTo(v1.version());

                proxy.mode(FlakyMlflow.Mode.PASS);
                // Polls back off to at most 2 s while failing; once answered, the promotion lands.
                await(() -> w.serving().orElseThrow().version().equals(v2.version()), Duration.ofSeconds(15));
                assertThat(predictor.predict(frames.get(20)).version().version()).isEqualTo(v2.version());
            }
        }
    }

    @Test
    void aStalledDownloadIsRefusedAndTheModelInServiceKeepsServing() throws Exception {
        try (FlakyMlflow proxy = new FlakyMlflow(MlflowTestServer.get().uri())) {
            InferenceWorld viaProxy = new InferenceWorld(dir, proxy.uri(), 1, Duration.ofMillis(20), Duration.ofSeconds(2));
            String name = "faults-stall-" + ProcessHandle.current().pid();
            List<ModelVersion> versions = viaProxy.champions(name, 2, false);
            ModelVersion v1 = versions.get(0);
            ModelVersion v2 = versions.get(1);
            InferenceMetrics metrics = new InferenceMetrics();
            ChampionWatcherTest.MutableClock clock = new ChampionWatcherTest.MutableClock(java.time.Instant.parse("2026-12-02T09:00:00Z"));
            try (ChampionWatcher w = new ChampionWatcher(viaProxy.registry, viaProxy.running, ChampionWatcher.Settings.of(name),
                    metrics, clock)) {
                assertThat(w.reload().outcome()).isEqualTo(ChampionWatcher.Outcome.SWAPPED);
                proxy.mode(FlakyMlflow.Mode.STALL_DOWNLOADS);
                viaProxy.registry.setAlias(name, "champion", v2.version());
                long t0 = System.nanoTime();
                ChampionWatcher.Check c = w.reload();
                assertThat(c.outcome()).isEqualTo(ChampionWatcher.Outcome.REFUSED);
                assertThat(c.reason()).startsWith("fetch: ");
                assertThat((System.nanoTime() - t0) / 1e9).as("bounded by the client's timeout").isLessThan(30);
                assertThat(w.serving().orElseThrow().version()).isEqualTo(v1.version());
                assertThat(metrics.snapshot().refused()).containsEntry(InferenceMetrics.Refusal.FETCH, 1L);

                proxy.mode(FlakyMlflow.Mode.PASS);
                clock.advance(Duration.ofMinutes(2));
                assertThat(w.reload().outcome()).as("retried after its back-off").isEqualTo(ChampionWatcher.Outcome.SWAPPED);
                assertThat(w.serving().orElseThrow().version()).isEqualTo(v2.version());
            }
        }
    }

    @Test
    void theAliasFlippingUnderLoadNeverFailsOrMixesAPrediction() throws Exception {
        InferenceWorld world = new InferenceWorld(dir, MlflowTestServer.get().uri());
        String name = "faults-flip-" + ProcessHandle.current().pid();
        List<ModelVersion> versions = world.champions(name, 2, true);
        ModelVersion v1 = versions.get(0);
        ModelVersion v2 = versions.get(1);
        int warm = world.running.warmUpBars();
        List<FeatureFrame> frames = world.frames(warm + 40, 11);
        // What each version predicts for each frame, from copies loaded here.
        Map<String, double[][]> expected = new HashMap<>();
        int width = world.running.columns().size();
        for (ModelVersion v : List.of(v1, v2)) {
            double[][] e = new double[frames.size()][];
            try (Model m = ModelArtifact.load(world.registry.fetch(v))) {
                for (int k = warm; k < frames.size(); k++) {
                    FeatureFrame f = frames.get(k);
                    float[] rows = new float[f.symbols().size() * width];
                    for (int i = 0; i < f.symbols().size(); i++) {
                        for (int j = 0; j < width; j++) {
                            rows[i * width + j] = (float) f.values()[i][j];
                        }
                    }
                    e[k] = m.predict(new FeatureMatrix(rows, f.symbols().size(), width));
                }
            }
            expected.put(v.version(), e);
        }
        InferenceMetrics metrics = new InferenceMetrics();
        try (ChampionWatcher w = new ChampionWatcher(world.registry, world.running, ChampionWatcher.Settings.of(name),
                metrics, Clock.systemUTC())) {
            w.reload();
            ChampionPredictor predictor = new ChampionPredictor(w, world.running, metrics);
            for (int k = 0; k < warm; k++) {
                predictor.predict(frames.get(k));
            }
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<String> seen = new ArrayList<>();
            int[] predictions = {0};
            Thread load = new Thread(() -> {
                int k = warm;
                while (!stop.get()) {
                    try {
                        BarPredictions p = predictor.predict(frames.get(k));
                        double[] want = expected.get(p.version().version())[k];
                        if (!java.util.Arrays.equals(ChampionWatcherTest.bits(p.scores()), ChampionWatcherTest.bits(want))) {
                            failures.add(new AssertionError("bar " + k + " scored by " + p.version() + " differs from its own predict"));
                        }
                        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(p.version().version())) {
                            seen.add(p.version().version());
                        }
                        predictions[0]++;
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                    k = k + 1 < frames.size() ? k + 1 : warm;
                }
            }, "prediction-load");
            load.start();
            for (int i = 0; i < 20; i++) {
                ModelVersion to = i % 2 == 0 ? v2 : v1;
                world.registry.setAlias(name, "champion", to.version());
                assertThat(w.reload().outcome()).isEqualTo(ChampionWatcher.Outcome.SWAPPED);
                Thread.sleep(20);
            }
            stop.set(true);
            load.join(30_000);
            assertThat(failures).isEmpty();
            assertThat(predictions[0]).isGreaterThan(20);
            assertThat(seen).as("both versions served").contains(v1.version(), v2.version());
            assertThat(metrics.snapshot().swaps()).isEqualTo(21);
        }
    }

    private static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + limit);
            }
            Thread.sleep(50);
        }
    }
}
