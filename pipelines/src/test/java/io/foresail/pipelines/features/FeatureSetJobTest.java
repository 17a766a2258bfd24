package io.foresail.pipelines.features;

import io.foresail.training.data.FeatureSetReader;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Bar;
import io.foresail.core.market.Timeframe;
import io.foresail.core.progress.Progress;
import io.foresail.core.universe.Universe;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SynthOutput;
import io.foresail.features.engine.FeatureFrame;
import io.foresail.features.engine.OnlineFeatureEngine;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.set.FeatureSetManifest;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.features.spec.FeatureSetSpec;
import org.junit.jupiter.api.BeforeAll;
import io.foresail.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Spark feature job on real local Spark, against the online engine and its own reruns. */
class FeatureSetJobTest {
    @TempDir
    static Path dir;
    private static Path market;
    private static FeatureSetSpec spec;

    @BeforeAll
    static void market() {
        market = dir.resolve("market");
        // Four months: long enough for every default feature, the 200-bar EMA included, to warm up.
        SynthOutput.write(market, SynthConfig.builder().symbols(5).start(LocalDate.of(2023, 1, 3))
                .end(LocalDate.of(2023, 4, 28)).seed(3).build(), 2, Progress.NONE);
        spec = FeatureSetSpec.defaultSpec();
    }

    private static FeatureSetJob.Result build(Path bars, FeatureSetSpec s, Path out) {
        return FeatureSetJob.run(new FeatureSetJob.Request(bars, s, out, Universe.defaultUniverse(), "local[2]"));
    }

    @Test
    void sparkJobEqualsTheOnlineEngineBitForBitAndRebuildsIdentically() throws Exception {
        Path root = dir.resolve("sets");
        FeatureSetJob.Result r = build(market.resolve("bars"), spec, root);
        assertThat(r.existed()).isFalse();
        FeatureSetManifest m = FeatureSetManifest.read(r.dir());
        assertThat(m.id()).isEqualTo(r.id());
        assertThat(m.features()).hasSizeGreaterThanOrEqualTo(200);
        assertThat(m.symbols()).hasSize(5).doesNotContain("SPY");

        // Feed the same bars, timestamp by timestamp, to the live engine.
        BarStore store = BarStore.open(market.resolve("bars"));
        FeaturePlan plan = FeaturePlan.resolve(spec, FeatureLibrary.standard());
        OnlineFeatureEngine engine = OnlineFeatureEngine.builder(plan).build();
        TreeMap<Long, List<Bar>> byTime = new TreeMap<>();
        for (BarSeries s : store.readAll()) {
            for (int i = 0; i < s.size(); i++) {
                byTime.computeIfAbsent(s.tsMicros(i), k -> new ArrayList<>()).add(s.bar(i));
            }
        }
        Map<String, FeatureSetReader.Part> parts = new HashMap<>();
        for (String symbol : m.symbols()) {
            parts.put(symbol, FeatureSetReader.read(r.dir().resolve("data").resolve(FeatureSetWriter.partName(symbol))));
        }
        Map<String, Integer> row = new HashMap<>();
        long compared = 0;
        for (Map.Entry<Long, List<Bar>> e : byTime.entrySet()) {
            FeatureFrame f = engine.onBars(e.getValue().get(0).start(), e.getValue());
            for (int s = 0; s < f.symbols().size(); s++) {
                String symbol = f.symbols().get(s);
                FeatureSetReader.Part part = parts.get(symbol);
                int i = row.merge(symbol, 1, Integer::sum) - 1;
                assertThat(part.ts()[i]).isEqualTo(e.getKey());
                for (int k = 0; k < plan.width(); k++) {
                    long online = Double.doubleToRawLongBits(f.values()[s][k]);
                    long spark = Double.doubleToRawLongBits(part.values()[k][i]);
                    if (online != spark) {
                        throw new AssertionError(plan.featureNames().get(k) + " of " + symbol + " at row " + i
                                + ": online " + f.values()[s][k] + ", Spark " + part.values()[k][i]);
                    }
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(m.rows() * plan.width());

        // Same inputs in another process (the CLI in a second JVM): same id, same bytes in every file.
        Path elsewhere = dir.resolve("sets-again");
        try (ChildJvm other = ChildJvm.start(io.foresail.pipelines.cli.ForesailCli.class, dir.resolve("again.log"), Map.of(),
                "features", "build", "--bars", market.resolve("bars").toString(), "--out", elsewhere.toString(),
                "--master", "local[2]")) {
            assertThat(other.await(300, java.util.concurrent.TimeUnit.SECONDS)).as("second process; log:%n%s", other.output())
                    .isZero();
        }
        assertThat(elsewhere.resolve(spec.name()).resolve(r.id())).isDirectory();
        assertThat(tree(elsewhere.resolve(spec.name()).resolve(r.id()))).isEqualTo(tree(r.dir()));
        // Same root: the version exists and is left alone.
        long before = Files.getLastModifiedTime(r.dir().resolve(FeatureSetManifest.FILE)).toMillis();
        FeatureSetJob.Result third = build(market.resolve("bars"), spec, root);
        assertThat(third.existed()).isTrue();
        assertThat(Files.getLastModifiedTime(r.dir().resolve(FeatureSetManifest.FILE)).toMillis()).isEqualTo(before);
        try (Stream<Path> leftovers = Files.list(root.resolve(spec.name()))) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly(r.id());
        }
    }

    /** Every file under {@code root} by relative path, as its bytes in hex (so maps compare by content). */
    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        }
        assertThat(out).containsKey(FeatureSetManifest.FILE).hasSizeGreaterThan(5);
        return out;
    }

    @Test
    void badInputsFailBeforeAnyWorkWithAClearMessage() throws Exception {
        Path root = dir.resolve("bad");
        Path specFile = dir.resolve("typo.yaml");
        Files.writeString(specFile, "name: typo\nfeatures: [tech_rsi_14_raw, tech_atr_14_rwa]\n");
        assertThatThrownBy(() -> build(market.resolve("bars"), FeatureSetSpec.load(specFile), root))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("tech_atr_14_rwa");
        Files.writeString(specFile, "name: long\nfeatures: [tech_sma_5000_dist]\n");
        assertThatThrownBy(() -> build(market.resolve("bars"), FeatureSetSpec.load(specFile), root))
                .hasMessageContaining("tech_sma_5000_dist needs 5000 bars").hasMessageContaining("has only");
        assertThatThrownBy(() -> build(dir.resolve("nowhere"), spec, root))
                .hasMessageContaining("is not a bar store");
        assertThatThrownBy(() -> build(market.resolve("faulty"), spec, root))
                .hasMessageContaining("fails validation");
        assertThat(root).doesNotExist();
    }

    @Test
    void dailyAndHourlyBarsWork() throws Exception {
        Path daily = dir.resolve("daily");
        SynthOutput.write(daily, SynthConfig.builder().symbols(4).start(LocalDate.of(2022, 1, 3))
                .end(LocalDate.of(2023, 6, 30)).timeframe(Timeframe.DAY_1).seed(9).build(), 0, Progress.NONE);
        Path specFile = dir.resolve("daily.yaml");
        Files.writeString(specFile, "name: daily\nfeatures: [alpha158, vol, rel, {tech_rsi: [14]}]\n"
                + "cross_sectional: {features: [alpha158_roc_5_raw]}\nlabels: {horizons: [1, 5]}\n");
        FeatureSetJob.Result d = build(daily.resolve("bars"), FeatureSetSpec.load(specFile), dir.resolve("daily-sets"));
        FeatureSetManifest dm = FeatureSetManifest.read(d.dir());
        assertThat(dm.timeframe()).isEqualTo("1Day");
        assertThat(dm.rows()).isEqualTo(4L * 375);
        assertThat(dm.features().stream().filter(c -> c.name().equals("alpha158_ma_60_raw")).findFirst().orElseThrow()
                .stats().count()).isPositive();
        // Intraday features make no sense on daily bars: refused up front.
        assertThatThrownBy(() -> build(daily.resolve("bars"), spec, dir.resolve("daily-sets")))
                .hasMessageContaining("need intraday bars");

        Path hourly = dir.resolve("hourly");
        SynthOutput.write(hourly, SynthConfig.builder().symbols(3).start(LocalDate.of(2023, 1, 3))
                .end(LocalDate.of(2023, 3, 31)).timeframe(Timeframe.HOUR_1).seed(9).build(), 0, Progress.NONE);
        Files.writeString(specFile, "name: hourly\nfeatures: [alpha158, intra, {tech_macd: [26]}]\n");
        FeatureSetManifest hm = FeatureSetManifest.read(build(hourly.resolve("bars"), FeatureSetSpec.load(specFile),
                dir.resolve("hourly-sets")).dir());
        assertThat(hm.timeframe()).isEqualTo("1Hour");
        assertThat(hm.features().stream().filter(c -> c.name().equals("intra_tod_0_frac")).findFirst().orElseThrow()
                .stats().max()).isEqualTo(6.0 / 7.0);
    }
}
