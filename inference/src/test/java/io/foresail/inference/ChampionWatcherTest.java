package io.foresail.inference;

import io.foresail.features.engine.FeatureFrame;
import io.foresail.features.set.FeatureSetId;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelCard;
import io.foresail.registry.MlflowTestServer;
import io.foresail.registry.ModelVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The champion, followed through the real MLflow test server: a valid version is swapped in and
 * served; a version trained on another plan, or whose files were altered on the server, is refused
 * with its reason while the previous one keeps serving, and not retried before its back-off; an
 * alias that disappears keeps the model serving.
 */
class ChampionWatcherTest {
    @TempDir
    Path dir;
    private InferenceWorld world;
    private String name;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T09:00:00Z"));

    @BeforeEach
    void world() {
        world = new InferenceWorld(dir, MlflowTestServer.get().uri());
        name = "inference-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    private ChampionWatcher watcher(InferenceMetrics metrics) {
        return new ChampionWatcher(world.registry, world.running, ChampionWatcher.Settings.of(name)
                .withPolling(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(30)), metrics, clock);
    }

    @Test
    void servesTheChampionAndScoresEveryReadySymbolWithItsOwnPredict() {
        ModelVersion v1 = world.publish(name, world.model("v1", world.inputs(world.running.document()), 1, true));
        world.registry.setAlias(name, "champion", v1.version());
        InferenceMetrics metrics = new InferenceMetrics();
        int warm = world.running.warmUpBars();
        assertThat(warm).as("the plan's longest warm-up").isBetween(15, 400);
        List<FeatureFrame> frames = world.frames(warm + 30, 7);
        int compared = 0;
        try (ChampionWatcher w = watcher(metrics)) {
            ChampionPredictor predictor = new ChampionPredictor(w, world.running, metrics);
            assertThatThrownBy(() -> predictor.predict(frames.get(0))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no model is being served yet");
            assertThat(w.reload()).isEqualTo(new ChampionWatcher.Check(ChampionWatcher.Outcome.SWAPPED, v1.version(), null));
            assertThat(w.reload().outcome()).isEqualTo(ChampionWatcher.Outcome.UNCHANGED);
            try (Model own = ModelArtifact.load(world.registry.fetch(v1))) {
                for (int k = 1; k < frames.size(); k++) {
                    FeatureFrame f = frames.get(k);
                    BarPredictions p = predictor.predict(f);
                    assertThat(p.version()).isEqualTo(new ServedVersion(name, v1.version(), v1.runId(), world.running.hash()));
                    assertThat(p.missing()).isEmpty();
                    if (k + 1 < world.running.warmUpBars()) {
                        assertThat(p.symbols()).as("bar %d, before the longest warm-up", k).isEmpty();
                        assertThat(p.warmingUp()).containsExactlyElementsOf(f.symbols());
                        continue;
                    }
                    assertThat(p.symbols()).containsExactlyElementsOf(f.symbols());
                    // The artifact's own predict on the same rows, bit for bit.
                    int width = world.running.columns().size();
                    float[] rows = new float[f.symbols().size() * width];
                    for (int i = 0; i < f.symbols().size(); i++) {
                        for (int j = 0; j < width; j++) {
                            rows[i * width + j] = (float) f.values()[i][j];
                        }
                    }
                    double[] expected = own.predict(new FeatureMatrix(rows, f.symbols().size(), width));
                    assertThat(bits(p.scores())).as("bar %d", k).isEqualTo(bits(expected));
                    compared++;
                }
                assertThat(compared).as("bars scored after the warm-up").isEqualTo(frames.size() - warm + 1);
            }
            InferenceMetrics.Snapshot s = metrics.snapshot();
            assertThat(s.bars()).isEqualTo(frames.size() - 1);
            assertThat(s.symbolsScored()).isEqualTo(5L * compared);
            assertThat(s.swaps()).isEqualTo(1);
            assertThat(s.serving().version()).isEqualTo(v1.version());
            assertThat(Arrays.stream(s.latencyBuckets()).sum()).isEqualTo(frames.size() - 1);
        }
    }

    /** A sequence model reads each symbol's last L rows from the predictor's windows: the artifact's own predict, bit for bit. */
    @Test
    void aSequenceModelIsServedFromTheWindowsWithItsOwnPredictsBits() {
        int length = 8;
        ModelVersion v = world.publish(name, world.sequenceModel("lstm", world.inputs(world.running.document()), length, 5));
        world.registry.setAlias(name, "champion", v.version());
        int warm = world.running.warmUpBars();
        List<FeatureFrame> frames = world.frames(warm + 12, 9);
        int width = world.running.columns().size();
        InferenceMetrics metrics = new InferenceMetrics();
        try (ChampionWatcher w = watcher(metrics); Model own = ModelArtifact.load(world.registry.fetch(v))) {
            assertThat(w.reload().outcome()).isEqualTo(ChampionWatcher.Outcome.SWAPPED);
            assertThat(own.card().sequenceLength()).isEqualTo(length);
            ChampionPredictor predictor = new ChampionPredictor(w, world.running, metrics);
            int compared = 0;
            for (int k = 0; k < frames.size(); k++) {
                BarPredictions p = predictor.predict(frames.get(k));
                if (k + 1 < warm) {
                    assertThat(p.symbols()).isEmpty();
                    continue;
                }
                List<String> symbols = frames.get(k).symbols();
                assertThat(p.symbols()).containsExactlyElementsOf(symbols);
                // Each symbol's window: its rows of the last `length` frames, oldest first.
                float[] rows = new float[symbols.size() * length * width];
                for (int i = 0; i < symbols.size(); i++) {
                    for (int t = 0; t < length; t++) {
                        double[] row = frames.get(k - length + 1 + t).row(symbols.get(i));
                        for (int j = 0; j < width; j++) {
                            rows[(i * length + t) * width + j] = (float) row[j];
                        }
                    }
                }
                double[] expected = own.predict(new FeatureMatrix(rows, symbols.size() * length, width));
                assertThat(bits(p.scores())).as("bar %d", k).isEqualTo(bits(expected));
                compared++;
            }
            assertThat(compared).isEqualTo(frames.size() - warm + 1);
        }
    }

    @Test
    void aVersionOfAnotherPlanIsRefusedNamingTheDifferenceAndNotRetriedBeforeItsBackOff() {
        ModelVersion v1 = world.publish(name, world.model("v1", world.inputs(world.running.document()), 1, false));
        world.registry.setAlias(name, "champion", v1.version());
        // Trained where XOM was filed under utilities: another universe, another plan.
        var other = world.running.document().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) other.get("sectors")).put("XOM", "UTILITIES");
        ModelVersion v2 = world.publish(name, world.model("v2", world.inputs(other), 2, false));
        InferenceMetrics metrics = new InferenceMetrics();
        try (ChampionWatcher w = watcher(metrics)) {
            assertThat(w.reload().outcome()).isEqualTo(ChampionWatcher.Outcome.SWAPPED);
            world.registry.setAlias(name, "champion", v2.version());
            ChampionWatcher.Check refused = w.reload();
            assertThat(refused.outcome()).isEqualTo(ChampionWatcher.Outcome.REFUSED);
            assertThat(refused.reason()).startsWith("incompatible: ").contains("feature plan " + FeatureSetId.planHash(other))
                    .contains("sectors.XOM: expected \"UTILITIES\", found \"ENERGY\"");
            assertThat(w.serving().orElseThrow().version()).isEqualTo(v1.version());
            assertThat(w.reload().outcome()).as("within the back-off").isEqualTo(ChampionWatcher.Outcome.BACKING_OFF);
            clock.advance(Duration.ofSeconds(61));
            assertThat(w.reload().outcome()).as("tried again after a minute").isEqualTo(ChampionWatcher.Outcome.REFUSED);
            clock.advance(Duration.ofSeconds(61));
            assertThat(w.reload().outcome()).as("the second back-off is two minutes").isEqualTo(ChampionWatcher.Outcome.BACKING_OFF);
            assertThat(metrics.snapshot().refused()).containsEntry(InferenceMetrics.Refusal.INCOMPATIBLE, 2L);

            // The alias goes back to v1: nothing to do; then it disappears: v1 keeps serving.
            world.registry.setAlias(name, "champion", v1.version());
            assertThat(w.reload().outcome()).isEqualTo(ChampionWatcher.Outcome.UNCHANGED);
            world.registry.deleteAlias(name, "champion");
            ChampionWatcher.Check gone = w.reload();
            assertThat(gone.outcome()).isEqualTo(ChampionWatcher.Outcome.UNAVAILABLE);
            assertThat(gone.reason()).contains("champion");
            assertThat(w.serving().orElseThrow().version()).isEqualTo(v1.version());
            assertThat(metrics.snapshot().registryFailures()).isEqualTo(1);
        }
    }

    @Test
    void filesAlteredOnTheServerAreRefusedAtVerification() throws Exception {
        ModelVersion v1 = world.publish(name, world.model("v1", world.inputs(world.running.document()), 1, false));
        world.registry.setAlias(name, "champion", v1.version());
        ModelVersion v2 = world.publish(name, world.model("v2", world.inputs(world.running.document()), 2, false));
        InferenceMetrics metrics = new InferenceMetrics();
        try (ChampionWatcher w = watcher(metrics)) {
            assertThat(w.reload().outcome()).isEqualTo(ChampionWatcher.Outcome.SWAPPED);
            // Edit v2's ridge.json where the server keeps it: the checksums no longer match.
            Path stored;
            try (Stream<Path> s = Files.walk(MlflowTestServer.get().artifactRoot())) {
                stored = s.filter(p -> p.toString().contains(v2.runId()) && p.getFileName().toString().equals("ridge.json"))
                        .findFirst().orElseThrow();
            }
            Files.writeString(stored, Files.readString(stored) + " ");
            world.registry.setAlias(name, "champion", v2.version());
            ChampionWatcher.Check c = w.reload();
            assertThat(c.outcome()).isEqualTo(ChampionWatcher.Outcome.REFUSED);
            assertThat(c.reason()).startsWith("verify: ");
            assertThat(w.serving().orElseThrow().version()).isEqualTo(v1.version());
            assertThat(metrics.snapshot().refused()).containsEntry(InferenceMetrics.Refusal.VERIFY, 1L);
        }
    }

    @Test
    void theReplacedModelIsClosedOnlyAfterItsLastPrediction() {
        ModelVersion v1 = world.publish(name, world.model("v1", world.inputs(world.running.document()), 1, true));
        ModelVersion v2 = world.publish(name, world.model("v2", world.inputs(world.running.document()), 2, true));
        world.registry.setAlias(name, "champion", v1.version());
        try (ChampionWatcher w = watcher(new InferenceMetrics())) {
            w.reload();
            ServingModel inFlight = w.acquire();
            assertThat(inFlight.version().version()).isEqualTo(v1.version());
            world.registry.setAlias(name, "champion", v2.version());
            assertThat(w.reload().outcome()).isEqualTo(ChampionWatcher.Outcome.SWAPPED);
            // The slot let go of v1, the prediction has not: v1 still predicts.
            int width = world.running.columns().size();
            assertThat(inFlight.model().predict(new FeatureMatrix(new float[width], 1, width))).hasSize(1);
            inFlight.release();
            assertThat(inFlight.references()).isZero();
            assertThatThrownBy(() -> inFlight.model().predict(new FeatureMatrix(new float[width], 1, width)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThat(inFlight.acquire()).as("a released model is never handed out again").isFalse();
            ServingModel now = w.acquire();
            assertThat(now.version().version()).isEqualTo(v2.version());
            now.release();
        }
    }

    @Test
    void aModelTrainedWithoutARecordedPlanIsRefused() {
        Path m = world.model("old", null, 1, false);
        ModelCard card = ModelArtifact.readCard(m);
        assertThat(card.inputs()).isNull();
        ModelVersion v = world.publish(name, m);
        world.registry.setAlias(name, "champion", v.version());
        try (ChampionWatcher w = watcher(new InferenceMetrics())) {
            ChampionWatcher.Check c = w.reload();
            assertThat(c.outcome()).isEqualTo(ChampionWatcher.Outcome.REFUSED);
            assertThat(c.reason()).contains("records no feature plan").contains("retrain");
            assertThat(w.serving()).isEmpty();
        }
    }

    static long[] bits(double[] v) {
        return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    /** A clock the test moves by hand (back-offs are measured on it). */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
