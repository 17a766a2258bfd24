package io.foresail.livetrader.service;

import io.foresail.alpacasim.SimFixture;
import io.foresail.core.market.Bar;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.market.Timeframe;
import io.foresail.features.engine.OnlineFeatureEngine;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.set.FeatureSetId;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.inference.BarPredictions;
import io.foresail.inference.ChampionPredictor;
import io.foresail.inference.ChampionWatcher;
import io.foresail.inference.InferenceMetrics;
import io.foresail.registry.MlflowTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bar corrected after it was used re-synchronises the features: the next scores equal, bit for
 * bit, those of a trader that had the corrected bar from the start; and without the correction
 * they differ (so the check can fail).
 */
class LiveScoringTest {
    @TempDir
    Path dir;
    private TraderWorld world;
    private ChampionWatcher watcher;

    @BeforeEach
    void start() {
        world = new TraderWorld(dir, MlflowTestServer.get().uri());
        world.champions("scoring-resync", 1);
        watcher = new ChampionWatcher(world.registry, world.running, ChampionWatcher.Settings.of("scoring-resync"),
                new InferenceMetrics(), Clock.systemUTC());
        watcher.reload();
    }

    @AfterEach
    void stop() {
        watcher.close();
    }

    private LiveScoring scoring() {
        FeaturePlan plan = FeaturePlan.resolve(FeatureSetId.specFromJson(world.running.document().path("spec").toString()),
                FeatureLibrary.standard());
        return new LiveScoring(() -> OnlineFeatureEngine.builder(plan).universe(TraderWorld.UNIVERSE)
                .calendar(TradingCalendar.nyse()).timeframe(Timeframe.MIN_15).build(),
                () -> new ChampionPredictor(watcher, world.running, new InferenceMetrics()), 500);
    }

    @Test
    void aCorrectedBarResynchronisesToWhatTheCorrectedHistoryGives() {
        TreeMap<Instant, Map<String, Bar>> bars = new TreeMap<>();
        SimFixture.bars(TraderWorld.SYMBOLS, 3, 5).forEach((s, list) -> list.forEach(b ->
                bars.computeIfAbsent(b.start(), k -> new HashMap<>()).put(s, b)));
        List<Instant> times = List.copyOf(bars.keySet());
        Instant wrongAt = times.get(times.size() - 3); // inside the last bar's 5- and 10-bar windows
        Bar truth = bars.get(wrongAt).get("BBB");
        Bar wrong = new Bar("BBB", wrongAt, truth.open(), truth.high() * 1.02, truth.low(), truth.close() * 1.02,
                truth.volume() * 0.7, truth.vwap(), truth.tradeCount());

        LiveScoring live = scoring();
        LiveScoring reference = scoring();
        for (int t = 0; t < times.size() - 1; t++) {
            Instant at = times.get(t);
            Map<String, Bar> cs = new HashMap<>(bars.get(at));
            reference.warm(at, cs);
            if (at.equals(wrongAt)) {
                cs.put("BBB", wrong); // what the stream gave before a late minute arrived
            }
            live.warm(at, cs);
        }
        Instant last = times.get(times.size() - 1);
        BarPredictions uncorrected = scoring(live, last, bars);

        LiveScoring corrected = scoring();
        for (int t = 0; t < times.size() - 1; t++) {
            Map<String, Bar> cs = new HashMap<>(bars.get(times.get(t)));
            if (times.get(t).equals(wrongAt)) {
                cs.put("BBB", wrong);
            }
            corrected.warm(times.get(t), cs);
        }
        assertThat(corrected.correct("BBB", wrongAt, truth)).isTrue();
        assertThat(corrected.correct("BBB", wrongAt, truth)).as("the same bar again changes nothing").isFalse();
        assertThat(corrected.resyncDue()).isTrue();
        BarPredictions afterResync = scoring(corrected, last, bars);
        BarPredictions expected = scoring(reference, last, bars);

        assertThat(afterResync.symbols()).isEqualTo(expected.symbols()).isNotEmpty();
        assertThat(afterResync.scores()).isEqualTo(expected.scores());
        assertThat(uncorrected.scores()).as("the wrong bar did change the scores").isNotEqualTo(expected.scores());
        assertThat(corrected.resyncs()).isEqualTo(1);
        assertThat(corrected.correct("BBB", times.get(0).minusSeconds(86_400), truth)).as("older than the history")
                .isFalse();
    }

    private static BarPredictions scoring(LiveScoring s, Instant at, Map<Instant, Map<String, Bar>> bars) {
        return s.score(at, new HashMap<>(bars.get(at)));
    }
}
