package io.foresail.pipelines.predict;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Bar;
import io.foresail.core.market.Timeframe;
import io.foresail.core.universe.Universe;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.synth.SynthConfig;
import io.foresail.features.engine.FeatureFrame;
import io.foresail.features.engine.OnlineFeatureEngine;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.set.FeatureSetId;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.features.spec.FeatureSetSpec;
import io.foresail.inference.BarPredictions;
import io.foresail.inference.ChampionPredictor;
import io.foresail.inference.ChampionWatcher;
import io.foresail.inference.InferenceMetrics;
import io.foresail.inference.RunningPlan;
import io.foresail.models.FitProvenance;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.gbm.XGBoostTrainer;
import io.foresail.models.sequence.SequenceFitRequest;
import io.foresail.models.sequence.SequenceNetTrainer;
import io.foresail.models.sequence.SequenceWindows;
import io.foresail.pipelines.features.FeatureSetJob;
import io.foresail.pipelines.testing.TestMarkets;
import io.foresail.registry.MlflowTestServer;
import io.foresail.registry.ModelCache;
import io.foresail.registry.ModelRef;
import io.foresail.registry.ModelVersion;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import io.foresail.training.data.Dataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Online/batch parity one level above the features: a registered version predicting a feature set
 * in batch scores the same rows, with the same bits, as the live path (the online engine fed the
 * same bars from the same start, the champion predictor) — for a row model and a sequence model.
 */
class PredictionParityTest {
    @TempDir
    static Path dir;
    private static Path market;
    private static FeatureSetJob.Result set;
    private static Dataset data;
    private static MlflowModelRegistry registry;

    @BeforeAll
    static void world() throws Exception {
        market = TestMarkets.of(SynthConfig.builder().symbols(8).start(LocalDate.of(2022, 1, 3))
                .end(LocalDate.of(2022, 12, 30)).seed(5).build());
        Path spec = Files.writeString(dir.resolve("parity.yaml"), "name: parity\nfeatures: [{alpha158_kmid: [1]}, "
                + "{alpha158_roc: [5, 20]}, {alpha158_std: [20]}, {alpha158_vma: [5]}, {rel_beta: [130]}]\n"
                + "cross_sectional: {ops: [rank], features: [alpha158_roc_5_raw]}\n");
        set = FeatureSetJob.run(new FeatureSetJob.Request(market.resolve("bars"), FeatureSetSpec.load(spec),
                dir.resolve("sets"), Universe.defaultUniverse(), "local[2]"));
        data = Dataset.load(set.dir());
        registry = new MlflowModelRegistry(MlflowClient.of(MlflowEndpoint.of(MlflowTestServer.get().uri())),
                new ModelCache(dir.resolve("cache")));
    }

    @Test
    void batchPredictionsAreTheLivePathsForARowModelAndASequenceModel() throws Exception {
        for (boolean sequence : new boolean[] {false, true}) {
            String name = "parity-" + (sequence ? "lstm" : "xgboost") + "-" + ProcessHandle.current().pid();
            ModelVersion v = publish(name, sequence ? lstm() : xgboost());
            registry.setAlias(name, "champion", v.version());

            Path out = dir.resolve(name + ".parquet");
            BatchPrediction.Result batch = BatchPrediction.run(registry, new BatchPrediction.Request(
                    ModelRef.alias(name, "champion"), set.dir(), null, null, out));
            PredictionFile.Rows rows = PredictionFile.read(out);
            assertThat(rows.size()).isEqualTo(batch.scored()).isPositive();
            assertThat(batch.warmingUp()).isPositive();
            assertThat(rows.modelVersion()).containsOnly(name + "/" + v.version());
            assertThat(rows.metadata()).containsEntry("foresail.plan_hash", data.manifest().planHash())
                    .containsEntry("foresail.feature_set_id", data.featureSetId());

            Map<String, Double> live = live(name);
            assertThat(live).hasSize(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                String key = rows.symbol().get(i) + "@" + rows.tsMicros()[i];
                Double score = live.get(key);
                assertThat(score).as("%s scored live", key).isNotNull();
                assertThat(Double.doubleToRawLongBits(score)).as(key).isEqualTo(Double.doubleToRawLongBits(rows.score()[i]));
            }

            // A range: only its bars, the same scores.
            Instant from = Instant.parse("2022-10-03T13:30:00Z");
            Path ranged = dir.resolve(name + "-q4.parquet");
            BatchPrediction.run(registry, new BatchPrediction.Request(ModelRef.alias(name, "champion"), set.dir(), from,
                    null, ranged));
            PredictionFile.Rows q4 = PredictionFile.read(ranged);
            assertThat(q4.size()).isPositive().isLessThan(rows.size());
            assertThat(java.util.Arrays.stream(q4.tsMicros()).min().orElseThrow()).isGreaterThanOrEqualTo(from.getEpochSecond() * 1_000_000L);
            for (int i = 0; i < q4.size(); i++) {
                assertThat(q4.score()[i]).isEqualTo(live.get(q4.symbol().get(i) + "@" + q4.tsMicros()[i]));
            }
            assertThatThrownBy(() -> BatchPrediction.run(registry, new BatchPrediction.Request(ModelRef.alias(name, "champion"),
                    set.dir(), null, null, out))).isInstanceOf(InvalidInputException.class).hasMessageContaining("exists");
        }
    }

    @Test
    void theCliPredictsAndServeChecks() {
        String uri = MlflowTestServer.get().uri().toString();
        String name = "parity-cli-" + ProcessHandle.current().pid();
        ModelVersion v = publish(name, xgboost());
        registry.setAlias(name, "champion", v.version());
        Path out = dir.resolve("cli.parquet");
        io.foresail.pipelines.cli.CliRun p = io.foresail.pipelines.cli.CliRun.of("predict", name + "@champion", "--features",
                set.dir().toString(), "--from", "2022-07-01", "--to", "2022-09-30", "--out", out.toString(),
                "--tracking-uri", uri, "--cache", dir.resolve("cli-cache").toString());
        assertThat(p.code()).as(p.err()).isZero();
        PredictionFile.Rows rows = PredictionFile.read(out);
        assertThat(p.out()).contains("predicted " + String.format(java.util.Locale.ROOT, "%,d", rows.size()) + " rows with "
                + name + "/" + v.version());
        long first = java.util.Arrays.stream(rows.tsMicros()).min().orElseThrow();
        long last = java.util.Arrays.stream(rows.tsMicros()).max().orElseThrow();
        assertThat(Instant.ofEpochSecond(first / 1_000_000)).isEqualTo(Instant.parse("2022-07-01T13:30:00Z"));
        assertThat(Instant.ofEpochSecond(last / 1_000_000)).isEqualTo(Instant.parse("2022-09-30T19:45:00Z"));

        io.foresail.pipelines.cli.CliRun check = io.foresail.pipelines.cli.CliRun.of("models", "serve-check", name + "/" + v.version(),
                "--runs", "50", "--tracking-uri", uri, "--cache", dir.resolve("cli-cache").toString());
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).contains("fetch+verify").contains("plan check").contains("warm-up")
                .contains("one bar: 8 symbols x 1-bar windows, 50 runs: p50 ").contains("serve-check passed");

        // A version without a recorded plan cannot be served: the check says so and fails.
        Path old = dir.resolve("no-plan");
        XGBoostTrainer t = new XGBoostTrainer();
        int[] train = trainRows();
        try (Model m = t.fit(new FitRequest(new TrainingData(data.x().select(train), labels(train)),
                new TrainingData(data.x().select(train), labels(train)), new FitProvenance(Task.REGRESSION,
                t.searchSpace().withOverrides(Map.of("rounds", 5)), data.features(), "label_fwd_1_raw", "", "", "", 1, 1)))) {
            m.save(old);
        }
        ModelVersion bare = publish(name, old);
        io.foresail.pipelines.cli.CliRun refused = io.foresail.pipelines.cli.CliRun.of("models", "serve-check",
                name + "/" + bare.version(), "--tracking-uri", uri, "--cache", dir.resolve("cli-cache").toString());
        assertThat(refused.code()).isEqualTo(3);
        assertThat(refused.out()).contains("plan check").contains("FAILED: version " + bare.version() + " records no feature plan");
        // The inference benchmark, short: every figure printed, no failed or wrong prediction across swaps.
        io.foresail.pipelines.cli.CliRun bench = io.foresail.pipelines.cli.CliRun.of("bench", "inference", name + "@champion",
                "--features", set.dir().toString(), "--bars", "30", "--swaps", "4", "--poll-ms", "100", "--work",
                dir.resolve("bench").toString(), "--tracking-uri", uri);
        assertThat(bench.code()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("symbols_per_bar: 8").contains("bar_predict_bars: 30").contains("bar_predict_p99_ms: ")
                .contains("swaps: 4 in").contains("swap_failed_predictions: 0").contains("swap_wrong_predictions: 0")
                .contains("batch_rows_per_s: ");
        io.foresail.pipelines.cli.CliRun badDate = io.foresail.pipelines.cli.CliRun.of("predict", name + "@champion", "--features",
                set.dir().toString(), "--from", "July", "--out", dir.resolve("x.parquet").toString(), "--tracking-uri", uri);
        assertThat(badDate.err()).contains("--from is 'July', expected YYYY-MM-DD or an ISO-8601 instant");
    }

    /** Every bar of the market through the online engine and the champion predictor: score by symbol@ts. */
    /**
     * {@code foresail backtest NAME@alias}: the version's batch predictions through the decision
     * path, refused over its training window unless asked, labelled IN-SAMPLE when asked.
     */
    @Test
    void theCliBacktestsARegisteredVersionOnlyOutOfSampleUnlessAsked() throws Exception {
        String uri = MlflowTestServer.get().uri().toString();
        String name = "parity-bt-" + ProcessHandle.current().pid();
        Path artifact = xgboost("2022-01-03T14:30:00Z", "2022-06-30T19:45:00Z");
        ModelVersion v = publish(name, artifact);
        registry.setAlias(name, "challenger", v.version());
        String[] common = {"--features", set.dir().toString(), "--bars", market.resolve("bars").toString(), "--tracking-uri",
                uri, "--cache", dir.resolve("bt-cache").toString()};
        int runsBefore = backtestRuns().size();
        io.foresail.pipelines.cli.CliRun refused = io.foresail.pipelines.cli.CliRun.of(concat(new String[] {"backtest",
                name + "@challenger", "--log", "--out", dir.resolve("bt-refused").toString()}, common));
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("overlaps the model's training window 2022-01-03T14:30:00Z .. 2022-06-30T19:45:00Z")
                .contains("--from 2022-07-01").contains("--allow-in-sample");
        assertThat(dir.resolve("bt-refused")).doesNotExist();
        assertThat(backtestRuns()).as("a refused backtest logs nothing").hasSize(runsBefore);

        Path out = dir.resolve("bt-oos");
        io.foresail.pipelines.cli.CliRun oos = io.foresail.pipelines.cli.CliRun.of(concat(new String[] {"backtest",
                name + "@challenger", "--from", "2022-07-01", "--log", "--out", out.toString()}, common));
        assertThat(oos.code()).as(oos.err()).isZero();
        assertThat(oos.out()).contains("backtest of " + name + "/" + v.version() + " over 2022-07-01T13:30:00Z")
                .doesNotContain("IN-SAMPLE");
        PredictionFile.Rows rows = PredictionFile.read(out.resolve("predictions.parquet"));
        assertThat(rows.size()).isGreaterThan(1000);
        assertThat(java.util.Arrays.stream(rows.tsMicros()).min().orElseThrow() / 1_000_000)
                .isEqualTo(Instant.parse("2022-07-01T13:30:00Z").getEpochSecond());

        // The same artifact, unregistered (--model DIR): the same check, the same predictions.
        io.foresail.pipelines.cli.CliRun localRefused = io.foresail.pipelines.cli.CliRun.of(concat(new String[] {"backtest",
                "--model", artifact.toString(), "--out", dir.resolve("bt-local-refused").toString()}, common));
        assertThat(localRefused.err()).contains("overlaps the model's training window");
        Path local = dir.resolve("bt-local");
        io.foresail.pipelines.cli.CliRun localRun = io.foresail.pipelines.cli.CliRun.of(concat(new String[] {"backtest",
                "--model", artifact.toString(), "--from", "2022-07-01", "--out", local.toString()}, common));
        assertThat(localRun.code()).as(localRun.err()).isZero();
        assertThat(localRun.out()).contains("backtest of local:");
        PredictionFile.Rows localRows = PredictionFile.read(local.resolve("predictions.parquet"));
        assertThat(localRows.score()).containsExactly(rows.score());
        assertThat(io.foresail.core.io.Json.MAPPER.readTree(local.resolve("summary.json").toFile()).path("figures")
                .path("sharpe").asDouble()).isEqualTo(io.foresail.core.io.Json.MAPPER.readTree(
                        out.resolve("summary.json").toFile()).path("figures").path("sharpe").asDouble());

        // --log: one FINISHED run with the figures and the report, and the version tagged with it.
        List<com.fasterxml.jackson.databind.JsonNode> runs = backtestRuns();
        assertThat(runs).hasSize(runsBefore + 1);
        com.fasterxml.jackson.databind.JsonNode run = runs.get(0);
        String runId = run.path("info").path("run_id").asText();
        assertThat(run.path("info").path("status").asText()).isEqualTo("FINISHED");
        assertThat(oos.out()).contains("MLflow run: ").contains(runId).contains("tagged " + name + "/" + v.version());
        double sharpe = io.foresail.core.io.Json.MAPPER.readTree(out.resolve("summary.json").toFile()).path("figures")
                .path("sharpe").asDouble();
        assertThat(run.path("data").path("metrics").findValuesAsText("key")).contains("sharpe", "max_drawdown", "realised_ic");
        for (com.fasterxml.jackson.databind.JsonNode m : run.path("data").path("metrics")) {
            if (m.path("key").asText().equals("sharpe")) {
                assertThat(m.path("value").asDouble()).isEqualTo(sharpe);
            }
        }
        assertThat(run.path("data").path("params").findValuesAsText("key")).contains("strategy.risk.max_name",
                "execution.participation_cap", "scores");
        com.fasterxml.jackson.databind.JsonNode artifacts = registry.client().get("artifacts/list",
                Map.of("run_id", runId, "path", "backtest"));
        assertThat(artifacts.path("files").findValuesAsText("path")).contains("backtest/tearsheet.html",
                "backtest/decisions.parquet", "backtest/fills.parquet", "backtest/summary.json", "backtest/charts");
        ModelVersion tagged = registry.resolve(io.foresail.registry.ModelRef.parse(name + "/" + v.version()));
        assertThat(tagged.tags()).containsEntry("foresail.backtest.run_id", runId)
                .containsEntry("foresail.backtest.label", "out-of-sample")
                .containsEntry("foresail.backtest.sharpe", String.format(java.util.Locale.ROOT, "%.4f", sharpe));

        // The promotion policy can require that logged out-of-sample backtest, and a minimum Sharpe in it.
        Path strict = Files.writeString(dir.resolve("strict.yaml"), "require_backtest: true\nmin_backtest_sharpe: 1000\n");
        Path required = Files.writeString(dir.resolve("required.yaml"), "require_backtest: true\n");
        String[] registryArgs = {"--tracking-uri", uri};
        io.foresail.pipelines.cli.CliRun tooLow = io.foresail.pipelines.cli.CliRun.of(concat(new String[] {"models", "promote",
                name, v.version(), "--to", "live", "--reason", "test", "--policy", strict.toString()}, registryArgs));
        assertThat(tooLow.code()).isNotZero();
        assertThat(tooLow.err()).contains("below the policy's minimum 1000.00");
        io.foresail.pipelines.cli.CliRun ok = io.foresail.pipelines.cli.CliRun.of(concat(new String[] {"models", "promote",
                name, v.version(), "--to", "live", "--reason", "test", "--policy", required.toString()}, registryArgs));
        assertThat(ok.code()).as(ok.err()).isZero();
        ModelVersion untested = publish(name, xgboost("2022-01-03T14:30:00Z", "2022-06-30T19:45:00Z"));
        io.foresail.pipelines.cli.CliRun noBacktest = io.foresail.pipelines.cli.CliRun.of(concat(new String[] {"models",
                "promote", name, untested.version(), "--to", "other", "--reason", "test", "--policy", required.toString()},
                registryArgs));
        assertThat(noBacktest.err()).contains(name + "/" + untested.version() + " has no logged backtest")
                .contains("--force");

        Path in = dir.resolve("bt-in");
        io.foresail.pipelines.cli.CliRun inSample = io.foresail.pipelines.cli.CliRun.of(concat(new String[] {"backtest",
                name + "/" + v.version(), "--allow-in-sample", "--out", in.toString()}, common));
        assertThat(inSample.code()).as(inSample.err()).isZero();
        assertThat(inSample.out()).contains("[IN-SAMPLE]");
        assertThat(io.foresail.core.io.Json.MAPPER.readTree(in.resolve("summary.json").toFile()).get("label").asText())
                .isEqualTo("IN-SAMPLE");
        assertThat(Files.readString(in.resolve("tearsheet.html"))).contains("class=\"warn\">IN-SAMPLE");
    }

    /** The runs of the backtest experiment, newest first. */
    private static List<com.fasterxml.jackson.databind.JsonNode> backtestRuns() {
        String experiment = new io.foresail.registry.mlflow.MlflowTracking(registry.client())
                .experiment(io.foresail.pipelines.backtest.BacktestLog.EXPERIMENT);
        com.fasterxml.jackson.databind.node.ObjectNode body = io.foresail.registry.mlflow.MlflowClient.object();
        body.putArray("experiment_ids").add(experiment);
        body.put("max_results", 1000);
        body.putArray("order_by").add("attributes.start_time DESC");
        List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
        registry.client().post("runs/search", body, true).path("runs").forEach(out::add);
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Map<String, Double> live(String name) {
        FeatureSetSpec spec = FeatureSetId.specFromJson(data.manifest().spec().toString());
        FeaturePlan plan = FeaturePlan.resolve(spec, FeatureLibrary.standard());
        OnlineFeatureEngine engine = OnlineFeatureEngine.builder(plan).build();
        Universe all = Universe.defaultUniverse();
        Universe present = new Universe(all.benchmark(), all.equities().stream()
                .filter(e -> data.symbols().contains(e.symbol())).toList());
        RunningPlan running = RunningPlan.of(plan, Timeframe.MIN_15, present);
        assertThat(running.hash()).as("the live plan is the set's").isEqualTo(data.manifest().planHash());
        BarStore store = BarStore.open(market.resolve("bars"));
        TreeMap<Long, List<Bar>> byTime = new TreeMap<>();
        for (BarSeries s : store.readAll()) {
            for (int i = 0; i < s.size(); i++) {
                byTime.computeIfAbsent(s.tsMicros(i), k -> new ArrayList<>()).add(s.bar(i));
            }
        }
        Map<String, Double> out = new HashMap<>();
        InferenceMetrics metrics = new InferenceMetrics();
        try (ChampionWatcher w = new ChampionWatcher(registry, running, ChampionWatcher.Settings.of(name), metrics,
                Clock.systemUTC())) {
            assertThat(w.reload().outcome()).isEqualTo(ChampionWatcher.Outcome.SWAPPED);
            ChampionPredictor predictor = new ChampionPredictor(w, running, metrics);
            for (Map.Entry<Long, List<Bar>> e : byTime.entrySet()) {
                FeatureFrame f = engine.onBars(e.getValue().get(0).start(), e.getValue());
                BarPredictions p = predictor.predict(f);
                for (int i = 0; i < p.symbols().size(); i++) {
                    out.put(p.symbols().get(i) + "@" + e.getKey(), p.scores()[i]);
                }
            }
        }
        return out;
    }

    private static Path xgboost() {
        return xgboost("", "");
    }

    /** An XGBoost model on the first half of the set, its card naming the training window given. */
    private static Path xgboost(String trainFrom, String trainTo) {
        int[] train = trainRows();
        XGBoostTrainer t = new XGBoostTrainer();
        float[] y = labels(train);
        Path out = dir.resolve("xgb-" + System.nanoTime());
        io.foresail.models.Hyperparameters h = t.searchSpace().withOverrides(Map.of("rounds", 20));
        try (Model m = t.fit(new FitRequest(new TrainingData(data.x().select(train), y),
                new TrainingData(data.x().select(train), y), new FitProvenance(Task.REGRESSION, h, data.features(),
                "label_fwd_1_raw", data.featureSetId(), trainFrom, trainTo, 3, 1, data.modelInputs())))) {
            m.save(out);
        }
        return out;
    }

    private static Path lstm() {
        SequenceWindows w = data.windows(6);
        int[] train = IntStream.of(trainRows()).filter(w::complete).toArray();
        SequenceNetTrainer t = SequenceNetTrainer.lstm();
        Path out = dir.resolve("lstm-" + System.nanoTime());
        try (Model m = t.fit(new SequenceFitRequest(w, train, labels(train), train, labels(train),
                provenance(t.searchSpace().withOverrides(Map.of("hidden", 8, "layers", 1, "epochs", 1,
                        "max_train_samples", 3000, "max_validation_samples", 1000)))))) {
            m.save(out);
        }
        return out;
    }

    private static FitProvenance provenance(io.foresail.models.Hyperparameters h) {
        return new FitProvenance(Task.REGRESSION, h, data.features(), "label_fwd_1_raw", data.featureSetId(), "", "", 3, 1,
                data.modelInputs());
    }

    private static int[] trainRows() {
        double[] y = data.label("label_fwd_1_raw");
        return IntStream.range(0, data.rows() / 2).filter(i -> Double.isFinite(y[i])).toArray();
    }

    private static float[] labels(int[] rows) {
        double[] y = data.label("label_fwd_1_raw");
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = (float) y[rows[i]];
        }
        return out;
    }

    private static ModelVersion publish(String name, Path model) {
        return registry.publishInOwnRun("parity", name, model, "", Map.of());
    }
}
