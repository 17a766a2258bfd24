package io.foresail.pipelines.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForesailCliTest {
    @TempDir
    Path dir;

    @Test
    void synthValidateRepairAndInfoWorkTogether() throws Exception {
        String m = dir.resolve("m").toString();
        CliRun synth = CliRun.of("data", "synth", "--out", m, "--symbols", "6", "--start", "2024-01-02", "--end", "2024-02-29",
                "--faults", "--faults-per-kind", "2");
        assertThat(synth.code()).as(synth.err()).isZero();
        assertThat(synth.out()).contains("oracle IC").contains("faulty copy");

        CliRun clean = CliRun.of("data", "validate", m + "/raw", "--actions", m + "/corporate_actions.csv");
        assertThat(clean.code()).as(clean.out()).isZero();
        assertThat(clean.out()).contains("PASSED (strict mode)");

        CliRun strict = CliRun.of("data", "validate", m + "/faulty");
        assertThat(strict.code()).isEqualTo(ForesailCli.EXIT_CHECK_FAILED);
        CliRun repair = CliRun.of("data", "validate", m + "/faulty", "--repair", "--out", m + "/repaired");
        assertThat(repair.code()).as(repair.out()).isZero();
        assertThat(Files.readAllLines(Path.of(m, "repaired", "quarantine.csv"))).hasSize(1 + 5 * 2);
        assertThat(Path.of(m + "/faulty-validation.json")).exists();

        CliRun info = CliRun.of("data", "info", m + "/repaired", "--verify");
        assertThat(info.code()).isZero();
        assertThat(info.out()).contains("repaired_from").contains("verified");

        // Features on the adjusted bars: build prints the id; list and describe find it.
        Path spec = dir.resolve("small.yaml");
        Files.writeString(spec, "name: small\nfeatures: [alpha158, {tech_rsi: [14]}]\n"
                + "cross_sectional: {features: [tech_rsi_14_raw]}\n");
        String root = dir.resolve("features").toString();
        CliRun build = CliRun.of("features", "build", "--bars", m + "/bars", "--spec", spec.toString(), "--out", root,
                "--master", "local[2]");
        assertThat(build.code()).as(build.err()).isZero();
        String id = build.out().strip();
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(build.err()).contains("built small/" + id);
        CliRun again = CliRun.of("features", "build", "--bars", m + "/bars", "--spec", spec.toString(), "--out", root);
        assertThat(again.out().strip()).isEqualTo(id);
        assertThat(again.err()).contains("already exists");
        CliRun list = CliRun.of("features", "list", root);
        assertThat(list.out()).contains("small").contains(id).contains("15Min");
        CliRun describe = CliRun.of("features", "describe", root + "/small/" + id);
        assertThat(describe.code()).isZero();
        assertThat(describe.out()).contains("alpha158_ma_60_raw").contains("xs_rank_14_tech_rsi_raw")
                .contains("label_fwd_26_excess").contains("nan%");
        CliRun typo = CliRun.of("features", "build", "--bars", m + "/bars", "--out", root, "--spec", m + "/nope.yaml");
        assertThat(typo.code()).isEqualTo(ForesailCli.EXIT_ERROR);
        assertThat(typo.err()).contains("nope.yaml").contains("not found");
    }

    @Test
    void errorsAreOneClearLineWithANonZeroExit() {
        CliRun r = CliRun.of("data", "info", dir.resolve("missing").toString());
        assertThat(r.code()).isEqualTo(ForesailCli.EXIT_ERROR);
        assertThat(r.err().strip()).startsWith("error: ").contains("is not a bar store").doesNotContain("\n");
        CliRun bad = CliRun.of("data", "synth", "--out", dir.toString(), "--start", "2024-13-01");
        assertThat(bad.err().strip()).isEqualTo("error: --start is '2024-13-01', expected YYYY-MM-DD");
    }

    @Test
    void trainChecksEveryInputFirstThenWritesReloadableModels() throws Exception {
        String m = dir.resolve("m").toString();
        assertThat(CliRun.of("data", "synth", "--out", m, "--symbols", "6", "--start", "2022-01-03", "--end", "2022-09-30")
                .code()).isZero();
        Path spec = dir.resolve("small.yaml");
        Files.writeString(spec, "name: small\nfeatures: [{alpha158_kmid: [1]}, {alpha158_roc: [5, 20]}, {tech_rsi: [14]}]\n");
        CliRun build = CliRun.of("features", "build", "--bars", m + "/bars", "--spec", spec.toString(), "--out",
                dir.resolve("fs").toString());
        assertThat(build.code()).as(build.err()).isZero();
        String set = dir.resolve("fs").resolve("small").resolve(build.out().strip()).toString();

        String walk = "walk_forward: {train_months: 4, validation_months: 1, test_months: 1, step_months: 1, purge_bars: 26}\n";
        Path ok = config("ok.yaml", "target: label_fwd_4_excess\nthreads: 1\n" + walk
                + "search: {trials: 2}\nmodels: {xgboost: {hyperparameters: {rounds: 30}}, ridge: {}}\n");
        assertThat(fails(set, config("model.yaml", "target: label_fwd_4_excess\n" + walk + "models: {catboost: {}}\n")))
                .contains("unknown model 'catboost' in models; known: lightgbm, lstm, ridge, transformer, xgboost");
        assertThat(fails(set, config("hp.yaml", "target: label_fwd_4_excess\n" + walk
                + "models: {xgboost: {hyperparameters: {depth: 3}}}\n")))
                .contains("unknown xgboost hyperparameter 'depth'").contains("max_depth");
        assertThat(fails(dir.resolve("fs").resolve("nope").toString(), ok)).contains("is not a feature set");
        assertThat(fails(set, config("long.yaml", "target: label_fwd_4_excess\nwalk_forward: {train_months: 12, "
                + "validation_months: 1, test_months: 1, purge_bars: 26}\nmodels: {ridge: {}}\n")))
                .contains("walk-forward needs at least 14 months").contains("spans 9");
        assertThat(fails(set, config("purge.yaml", "target: label_fwd_26_raw\nwalk_forward: {train_months: 4, "
                + "validation_months: 1, test_months: 1, purge_bars: 4}\nmodels: {ridge: {}}\n")))
                .contains("purge of 4 bars is shorter than the 26-bar horizon");
        assertThat(fails(set, config("members.yaml", "target: label_fwd_4_excess\n" + walk
                + "models: {ridge: {}}\nensemble: {members: [ridge, lstm]}\n")))
                .contains("ensemble.members names 'lstm', which is not under models (ridge)");
        assertThat(fails(set, config("passthrough.yaml", "target: label_fwd_4_excess\n" + walk
                + "models: {ridge: {}}\nensemble: {passthrough_top_k: 999}\n")))
                .contains("ensemble.passthrough_top_k is 999 but feature set").contains("has 4 features");
        assertThat(fails(set, config("label.yaml", "target: label_fwd_2_raw\n" + walk + "models: {ridge: {}}\n")))
                .contains("has no label 'label_fwd_2_raw'").contains("label_fwd_4_excess");

        // Two sessions (52 bars): every 60-bar label runs past the end, so the target is NaN on every row.
        String one = dir.resolve("one").toString();
        assertThat(CliRun.of("data", "synth", "--out", one, "--symbols", "4", "--start", "2022-03-01", "--end", "2022-03-02")
                .code()).isZero();
        Path tiny = dir.resolve("tiny.yaml");
        Files.writeString(tiny, "name: tiny\nfeatures: [{alpha158_kmid: [1]}]\nlabels: {horizons: [60]}\n");
        CliRun tinyBuild = CliRun.of("features", "build", "--bars", one + "/bars", "--spec", tiny.toString(), "--out",
                dir.resolve("fs").toString());
        assertThat(tinyBuild.code()).as(tinyBuild.err()).isZero();
        String tinySet = dir.resolve("fs").resolve("tiny").resolve(tinyBuild.out().strip()).toString();
        assertThat(fails(tinySet, config("nan.yaml", "target: label_fwd_60_raw\nwalk_forward: {train_months: 1, "
                + "validation_months: 1, test_months: 1, purge_bars: 60}\nmodels: {ridge: {}}\n")))
                .contains("label_fwd_60_raw").contains("NaN on every row");

        Path out = dir.resolve("run");
        CliRun train = CliRun.of("train", "--features", set, "--config", ok.toString(), "--out", out.toString(), "--no-spark",
                "--oracle", m + "/oracle/oracle.parquet");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("xgboost").contains("ridge").contains("oracle_ric").contains("top features");
        assertThat(out.resolve("report.json")).exists();
        assertThat(out.resolve("report.txt")).exists();
        // A saved fold model reproduces its out-of-fold predictions exactly.
        java.util.List<String> oof = Files.readAllLines(out.resolve("oof").resolve("xgboost.csv"));
        io.foresail.training.data.Dataset data = io.foresail.training.data.Dataset.load(Path.of(set));
        // Sequence windows over the loaded set: the symbol's own last bars, in time order.
        int sample = data.rows() - 1;
        int[] window = data.windows(20).rowsOf(sample);
        for (int k = 0; k < window.length; k++) {
            assertThat(data.symbol()[window[k]]).isEqualTo(data.symbol()[sample]);
            assertThat(data.ts()[window[k]]).isEqualTo(data.ts()[sample] - (19 - k) * 900_000_000L);
        }
        try (io.foresail.models.Model model = io.foresail.models.ModelArtifact.load(
                out.resolve("models").resolve("xgboost").resolve("fold-0"))) {
            int checked = 0;
            for (String line : oof.subList(1, oof.size())) {
                String[] f = line.split(",");
                if (!f[2].equals("0")) {
                    continue;
                }
                long ts = java.time.Instant.parse(f[1]).toEpochMilli() * 1000;
                int row = java.util.stream.IntStream.range(0, data.rows())
                        .filter(i -> data.ts()[i] == ts && data.symbols().get(data.symbol()[i]).equals(f[0]))
                        .findFirst().orElseThrow();
                double p = model.predict(data.x().rows(row, row + 1))[0];
                assertThat(p).as(line).isEqualTo(Double.parseDouble(f[3]));
                if (++checked == 40) {
                    break;
                }
            }
            assertThat(checked).isEqualTo(40);
        }
        // The stacked ensemble: its report, plots and artifact, and members refit on the latest window.
        assertThat(train.out()).contains("stacked ensemble of xgboost, ridge").contains("verdict: the ensemble");
        assertThat(out.resolve("plots").resolve("fold_rank_ic.png")).isNotEmptyFile();
        assertThat(javax.imageio.ImageIO.read(out.resolve("plots").resolve("feature_importance.png").toFile()).getWidth())
                .isGreaterThan(100);
        io.foresail.models.ModelCard ensembleCard = io.foresail.models.ModelArtifact.readCard(out.resolve("ensemble"));
        assertThat(ensembleCard.type()).isEqualTo("stacked-ensemble");
        // The artifact carries its inputs: the feature set's plan, whose hash the live path recomputes
        // from the spec, the universe and its own engine, and what built it.
        io.foresail.models.ModelInputs inputs = ensembleCard.inputs();
        assertThat(inputs.featureSetId()).isEqualTo(data.featureSetId());
        assertThat(inputs.barManifestHash()).isEqualTo(data.manifest().barManifestHash());
        io.foresail.features.spec.FeaturePlan recomputed = io.foresail.features.spec.FeaturePlan.resolve(
                io.foresail.features.spec.FeatureSetSpec.load(spec), io.foresail.features.library.FeatureLibrary.standard());
        com.fasterxml.jackson.databind.JsonNode localPlan = io.foresail.features.set.FeatureSetId.plan(recomputed, "15Min",
                inputs.sectors(), "SPY");
        assertThat(io.foresail.features.set.FeatureSetId.firstDifference(inputs.plan(), localPlan)).isEmpty();
        assertThat(io.foresail.features.set.FeatureSetId.planHash(localPlan)).isEqualTo(inputs.planHash());
        assertThat(inputs.sectors()).hasSize(6).containsOnlyKeys(data.symbols());
        assertThat(inputs.sectors().values()).allSatisfy(v -> io.foresail.core.universe.Sector.valueOf(v));
        assertThat(inputs.benchmark()).isEqualTo("SPY");
        assertThat(io.foresail.models.ModelArtifact.readCard(out.resolve("models/xgboost/fold-0")).inputs())
                .as("every fold model too").isEqualTo(inputs);
        io.foresail.models.ModelProvenance made = io.foresail.models.ModelProvenance.of(out.resolve("ensemble")).orElseThrow();
        assertThat(made.libraries()).containsEntry("xgboost4j", "3.1.1").containsKeys("lightgbm4j", "djl", "onnxruntime");
        assertThat(made.runtime()).startsWith(System.getProperty("java.version"));
        assertThat(made.gitCommit()).matches("[0-9a-f]{40}|unknown");
        io.foresail.models.ModelArtifact.verify(out.resolve("ensemble"));
        assertThat(ensembleCard.trainTo()).as("refit window ends a gap before the last validation month")
                .isGreaterThan(io.foresail.models.ModelArtifact.readCard(out.resolve("models/xgboost/fold-3")).trainTo());

        // --register: the run, the version with alias challenger, and a download that predicts bit-identically.
        String uri = io.foresail.registry.MlflowTestServer.get().uri().toString();
        Path registered = dir.resolve("registered");
        CliRun reg = CliRun.of("train", "--features", set, "--config", ok.toString(), "--out", registered.toString(), "--no-spark",
                "--register", "cli-ensemble", "--tracking-uri", uri, "--experiment", "cli-test");
        assertThat(reg.code()).as(reg.err()).isZero();
        assertThat(reg.out()).contains("registered cli-ensemble version 1 (alias challenger)").contains(uri + "/#/models/cli-ensemble/versions/1");
        String runId = java.util.regex.Pattern.compile("MLflow run:\\s+([0-9a-f]{32})").matcher(reg.out()).results()
                .findFirst().orElseThrow().group(1);
        io.foresail.registry.mlflow.MlflowClient client = io.foresail.registry.mlflow.MlflowClient.of(
                io.foresail.registry.mlflow.MlflowEndpoint.of(java.net.URI.create(uri)));
        io.foresail.registry.mlflow.MlflowModelRegistry registry = new io.foresail.registry.mlflow.MlflowModelRegistry(
                client, new io.foresail.registry.ModelCache(dir.resolve("cache")));
        io.foresail.registry.ModelVersion challenger = registry.resolve(io.foresail.registry.ModelRef.parse("cli-ensemble@challenger"));
        assertThat(challenger.runId()).isEqualTo(runId);
        assertThat(challenger.tags()).containsKeys("foresail.oos_rank_ic", "foresail.git_commit", "foresail.code_version")
                .containsEntry("foresail.feature_set_id", data.featureSetId())
                .containsEntry("foresail.bar_manifest_hash", data.manifest().barManifestHash());
        com.fasterxml.jackson.databind.JsonNode history = client.get("metrics/get-history",
                java.util.Map.of("run_id", runId, "metric_key", "xgboost.test_rank_ic")).path("metrics");
        assertThat(history).hasSize(4);
        assertThat(history.findValuesAsText("step")).containsExactlyInAnyOrder("0", "1", "2", "3");
        com.fasterxml.jackson.databind.JsonNode runData = client.get("runs/get", java.util.Map.of("run_id", runId)).path("run");
        assertThat(runData.path("info").path("status").asText()).isEqualTo("FINISHED");
        assertThat(runData.path("data").path("params").findValuesAsText("key"))
                .contains("walk_forward.train_months", "best.xgboost.eta", "ensemble.alpha");
        assertThat(client.list(runData.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/+", "")
                + "/plots")).extracting(io.foresail.registry.mlflow.MlflowClient.ArtifactFile::path)
                .anyMatch(p -> p.endsWith("fold_rank_ic.png"));
        Path fetched = registry.fetch(challenger);
        int[] samples = java.util.stream.IntStream.range(data.rows() - 500, data.rows()).toArray();
        try (io.foresail.models.Model local = io.foresail.models.ModelArtifact.load(registered.resolve("ensemble"));
             io.foresail.models.Model downloaded = io.foresail.models.ModelArtifact.load(fetched)) {
            double[] expected = local.predict(data.x().select(samples));
            assertThat(java.util.Arrays.stream(downloaded.predict(data.x().select(samples)))
                    .mapToLong(Double::doubleToRawLongBits).toArray())
                    .isEqualTo(java.util.Arrays.stream(expected).mapToLong(Double::doubleToRawLongBits).toArray());
        }
        CliRun describe = CliRun.of("models", "describe", "cli-ensemble@challenger", "--tracking-uri", uri, "--cache",
                dir.resolve("cache2").toString());
        assertThat(describe.code()).as(describe.err()).isZero();
        assertThat(describe.out()).contains("stacked-ensemble");
        assertThat(CliRun.of("train", "--features", set, "--config", ok.toString(), "--out", dir.resolve("d1").toString(),
                "--register", "x", "--no-ensemble").err()).contains("--register registers the stacked ensemble");

        assertThat(CliRun.of("train", "--features", set, "--config", ok.toString(), "--out", out.toString()).err())
                .contains("is not empty");
        assertThat(CliRun.of("train", "--features", set, "--config", ok.toString(), "--out", dir.resolve("d0").toString(),
                "--distributed", "--no-spark").err()).contains("--distributed needs Spark");
        assertThat(CliRun.of("train", "--features", set, "--config", ok.toString(), "--out", dir.resolve("d0").toString(),
                "--distributed", "--master", "local[2]", "--workers", "3").err()).contains("exceeds the 2 task slots");

        // Distributed XGBoost: same outputs, and the fold models say how many workers fitted them.
        Path dist = dir.resolve("dist");
        CliRun d = CliRun.of("train", "--features", set, "--config", ok.toString(), "--out", dist.toString(), "--distributed",
                "--master", "local[2]");
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(d.err()).contains("xgboost fits are distributed over 2 workers");
        try (io.foresail.models.Model model = io.foresail.models.ModelArtifact.load(
                dist.resolve("models").resolve("xgboost").resolve("fold-0"))) {
            assertThat(model.card().attributes()).containsEntry("workers", "2");
        }
        assertThat(dist.resolve("oof").resolve("xgboost.csv")).exists();
    }

    /** The main job end to end on a smaller market: market, features, train, stack, a registered challenger. */
    @Test
    void quickstartRunsTheWholeResearchLoopIntoMlflow() throws Exception {
        String uri = io.foresail.registry.MlflowTestServer.get().uri().toString();
        Path out = dir.resolve("qs");
        // The default config's five model types; the deep members on a test-sized budget.
        String defaults = new String(getClass().getResourceAsStream("/foresail/config/training.yaml").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String small = defaults.replaceAll("(?m)^  lstm: \\{}.*$", "  lstm: {hyperparameters: {max_train_samples: 3000, "
                        + "max_validation_samples: 1000, epochs: 2, hidden: 8, layers: 1}}")
                .replaceAll("(?m)^  transformer: \\{}.*$", "  transformer: {hyperparameters: {max_train_samples: 3000, "
                        + "max_validation_samples: 1000, epochs: 2, d_model: 8, heads: 2}}");
        assertThat(small).as("the test's config keeps every model of the default").contains("lstm: {hyper").contains("transformer: {hyper")
                .contains("xgboost: {}").contains("lightgbm: {}").contains("ridge: {}");
        Path budget = config("qs-training.yaml", small);
        CliRun qs = CliRun.of("quickstart", "--out", out.toString(), "--symbols", "6", "--model-name", "qs-model",
                "--tracking-uri", uri, "--config", budget.toString());
        assertThat(qs.code()).as(qs.err()).isZero();
        assertThat(qs.out()).contains("[3/6] features").contains("[5/6] train").contains("[6/6] backtest")
                .contains("stacked ensemble of xgboost, lightgbm, ridge, lstm, transformer")
                .contains("what each member adds")
                .contains("registered qs-model version 1 (alias challenger)").contains("quickstart done in")
                .contains("MLflow UI: " + uri).containsPattern("headline: +the ensemble earns -?\\d+ % of the oracle's net Sharpe");
        try (java.util.stream.Stream<Path> runs = Files.list(out.resolve("runs"))) {
            Path run = runs.findFirst().orElseThrow();
            // Both backtests cover the same sessions: those the ensemble scored out of sample.
            com.fasterxml.jackson.databind.JsonNode model = io.foresail.core.io.Json.MAPPER.readTree(
                    run.resolve("backtest-ensemble").resolve("summary.json").toFile());
            com.fasterxml.jackson.databind.JsonNode oracle = io.foresail.core.io.Json.MAPPER.readTree(
                    run.resolve("backtest-oracle").resolve("summary.json").toFile());
            assertThat(model.get("from")).isEqualTo(oracle.get("from"));
            assertThat(model.get("to")).isEqualTo(oracle.get("to"));
        }
        io.foresail.registry.mlflow.MlflowModelRegistry registry = new io.foresail.registry.mlflow.MlflowModelRegistry(
                io.foresail.registry.mlflow.MlflowClient.of(io.foresail.registry.mlflow.MlflowEndpoint.of(java.net.URI.create(uri))),
                new io.foresail.registry.ModelCache(dir.resolve("qs-cache")));
        io.foresail.registry.ModelVersion v = registry.resolve(io.foresail.registry.ModelRef.parse("qs-model@challenger"));
        java.util.concurrent.ExecutorService lanes = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (io.foresail.models.Model m = io.foresail.models.ModelArtifact.load(registry.fetch(v))) {
            assertThat(m.card().type()).isEqualTo("stacked-ensemble");
            assertThat(m.card().features()).hasSize(230);
            // Its five members side by side (the LSTM and the Transformer in PyTorch on two threads at once), as the
            // trader serves it with model.member_threads: the same bits as one after the other.
            io.foresail.models.stacked.StackedEnsemble e = (io.foresail.models.stacked.StackedEnsemble) m;
            int length = Math.max(1, m.card().sequenceLength());
            java.util.SplittableRandom r = new java.util.SplittableRandom(11);
            float[] values = new float[24 * length * 230];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) r.nextGaussian();
            }
            io.foresail.models.FeatureMatrix windows = new io.foresail.models.FeatureMatrix(values, 24 * length, 230);
            double[] alone = e.predict(windows);
            for (int round = 0; round < 3; round++) {
                for (int helpers = 1; helpers <= 2; helpers++) {
                    assertThat(e.predict(windows, lanes, helpers)).as("round %d, %d helpers", round, helpers)
                            .containsExactly(alone);
                }
            }
        } finally {
            lanes.shutdownNow();
        }
        // A second run reuses the market and the feature set, and trains into a new directory.
        CliRun again = CliRun.of("quickstart", "--out", out.toString(), "--symbols", "6", "--no-register",
                "--config", config("qs-ridge.yaml", defaults.replaceAll("(?ms)^models:.*", "models: {ridge: {}}\n")).toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("synthetic market: reusing").contains("reusing equities-15min/");
        try (java.util.stream.Stream<Path> runs = Files.list(out.resolve("runs"))) {
            assertThat(runs.count()).isEqualTo(2);
        }
    }

    private Path config(String name, String yaml) throws java.io.IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    private String fails(String set, Path config) {
        CliRun r = CliRun.of("train", "--features", set, "--config", config.toString(), "--out", dir.resolve("x").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ForesailCli.EXIT_ERROR);
        assertThat(r.err().strip()).startsWith("error: ");
        return r.err();
    }
}
