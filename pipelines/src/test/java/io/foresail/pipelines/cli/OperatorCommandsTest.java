package io.foresail.pipelines.cli;

import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitProvenance;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.linear.RidgeTrainer;
import io.foresail.pipelines.testing.TestMarkets;
import io.foresail.registry.MlflowTestServer;
import io.foresail.registry.ModelCache;
import io.foresail.registry.ModelRef;
import io.foresail.registry.ModelVersion;
import io.foresail.registry.Promotion;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import io.foresail.registry.mlflow.MlflowRun;
import io.foresail.registry.mlflow.MlflowTracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator-facing commands end to end through the CLI: importing a vendor file, adjusting a
 * raw store, listing and promoting registered versions, and running the project's MLflow server.
 */
class OperatorCommandsTest {
    @TempDir
    Path dir;

    /**
     * A yfinance export of one symbol: New York times with their offset, bar start, one pre-market
     * row. Every regular-session row is stored at its UTC start with the file's prices.
     */
    @Test
    void importCsvStoresTheVendorRowsAtTheirUtcTimes() throws Exception {
        Path csv = dir.resolve("aapl yfinance 15m.csv");
        StringBuilder b = new StringBuilder("Datetime,Open,High,Low,Close,Volume\n");
        b.append("2024-03-05 09:00:00-05:00,170.0,170.5,169.5,170.2,1000\n");
        LocalDateTime open = LocalDateTime.of(2024, 3, 5, 9, 30);
        double price = 170.0;
        for (int i = 0; i < 26; i++) {
            LocalDateTime t = open.plusMinutes(15L * i);
            b.append(String.format(java.util.Locale.ROOT, "%s-05:00,%.2f,%.2f,%.2f,%.2f,%d%n",
                    t.toString().replace('T', ' ') + ":00", price, price + 1, price - 1, price + 0.5, 10_000 + i));
            price += 0.25;
        }
        Files.writeString(csv, b);
        Path store = dir.resolve("imported");
        CliRun r = CliRun.of("data", "import", "csv", csv.toString(), "--vendor", "yfinance", "--symbol", "AAPL", "--out", store.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 26 of 27 rows from 1 files").contains("1 pre- or post-market rows")
                .contains("next: foresail data validate");
        BarSeries s = BarStore.open(store).read("AAPL");
        assertThat(s.size()).isEqualTo(26);
        // 09:30 New York in March before the DST switch is 14:30 UTC.
        assertThat(Instant.ofEpochSecond(s.tsMicros(0) / 1_000_000)).isEqualTo(Instant.parse("2024-03-05T14:30:00Z"));
        assertThat(Instant.ofEpochSecond(s.tsMicros(25) / 1_000_000))
                .isEqualTo(open.plusMinutes(15 * 25).atZone(ZoneId.of("America/New_York")).toInstant());
        assertThat(s.open(3)).isEqualTo(170.75);
        assertThat(s.high(3)).isEqualTo(171.75);
        assertThat(s.close(25)).isEqualTo(170.0 + 0.25 * 25 + 0.5);
        assertThat(s.volume(25)).isEqualTo(10_025);

        CliRun info = CliRun.of("data", "info", store.toString(), "--verify");
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).contains("26 in 1 symbols").contains("verified: every file matches the manifest");

        CliRun both = CliRun.of("data", "import", "csv", csv.toString(), "--vendor", "yfinance", "--mapping", "m.yaml",
                "--out", dir.resolve("x").toString());
        assertThat(both.code()).isEqualTo(ForesailCli.EXIT_ERROR);
        assertThat(both.err()).contains("give exactly one of --vendor or --mapping");
        CliRun tf = CliRun.of("data", "import", "csv", csv.toString(), "--vendor", "yfinance", "--timeframe", "quarter-hour",
                "--out", dir.resolve("y").toString());
        assertThat(tf.err()).contains("--timeframe: invalid timeframe 'quarter-hour'");
    }

    /** Adjusting the synthetic market's raw bars reproduces its adjusted store exactly, and adjusted bars are refused. */
    @Test
    void adjustBackAdjustsSplitsLikeTheMarketsOwnAdjustedStore() {
        // The market the Spark training test uses: eight equities through 2022, with their splits.
        Path m = TestMarkets.of(io.foresail.data.synth.SynthConfig.builder().symbols(8).start(java.time.LocalDate.of(2022, 1, 3))
                .end(java.time.LocalDate.of(2022, 12, 30)).seed(5).build());
        Path out = dir.resolve("adjusted");
        CliRun adjust = CliRun.of("data", "adjust", m.resolve("raw").toString(), "--actions", m.resolve("corporate_actions.csv").toString(),
                "--out", out.toString());
        assertThat(adjust.code()).as(adjust.err()).isZero();
        BarStore mine = BarStore.open(out);
        BarStore market = BarStore.open(m.resolve("bars"));
        assertThat(mine.manifest().contentSha256()).isEqualTo(market.manifest().contentSha256());

        // And by hand, for a symbol split once: before the ex-date adjusted = raw / ratio, from it on = raw.
        var actions = io.foresail.data.adjust.CorporateActions.load(m.resolve("corporate_actions.csv")).all();
        assertThat(actions).as("the market has splits to adjust").isNotEmpty();
        var once = actions.stream().filter(a -> actions.stream().filter(o -> o.symbol().equals(a.symbol())).count() == 1)
                .findFirst().orElseThrow();
        BarSeries raw = BarStore.open(m.resolve("raw")).read(once.symbol());
        BarSeries adjusted = mine.read(once.symbol());
        int before = 0;
        int after = 0;
        for (int i = 0; i < raw.size(); i++) {
            java.time.LocalDate d = Instant.ofEpochSecond(raw.tsMicros(i) / 1_000_000).atZone(ZoneId.of("America/New_York")).toLocalDate();
            if (d.isBefore(once.exDate())) {
                assertThat(adjusted.close(i)).isCloseTo(raw.close(i) / once.ratio(), org.assertj.core.api.Assertions.within(1e-9 * raw.close(i)));
                assertThat(adjusted.volume(i)).isCloseTo(raw.volume(i) * once.ratio(), org.assertj.core.api.Assertions.within(1e-6 * raw.volume(i) + 1e-9));
                before++;
            } else {
                assertThat(adjusted.close(i)).isEqualTo(raw.close(i));
                after++;
            }
        }
        assertThat(before).isPositive();
        assertThat(after).isPositive();

        CliRun again = CliRun.of("data", "adjust", out.toString(), "--actions", m.resolve("corporate_actions.csv").toString(),
                "--out", dir.resolve("twice").toString());
        assertThat(again.code()).isEqualTo(ForesailCli.EXIT_ERROR);
        assertThat(again.err()).contains("split-adjusted bars; adjust works on raw bars only");
    }

    @Test
    void modelsListAndPromoteWorkOnTheRegistry() throws Exception {
        String uri = MlflowTestServer.get().uri().toString();
        MlflowClient client = MlflowClient.of(MlflowEndpoint.of(URI.create(uri)));
        MlflowModelRegistry registry = new MlflowModelRegistry(client, new ModelCache(dir.resolve("cache")));
        MlflowTracking tracking = new MlflowTracking(client);
        MlflowRun mlflowRun = tracking.startRun(tracking.experiment("cli-models"), "cli models", Map.of());
        Path model = ridge(dir.resolve("ridge"));
        String name = "cli-models-" + ProcessHandle.current().pid();
        ModelVersion strong = registry.publish(mlflowRun, name, model, "", Map.of(Promotion.METRIC_TAG, "0.031"));
        ModelVersion weak = registry.publish(mlflowRun, name, model, "", Map.of(Promotion.METRIC_TAG, "0.012"));
        mlflowRun.finish("FINISHED");

        String cache = dir.resolve("cli-cache").toString();
        CliRun promote = CliRun.of("models", "promote", name, strong.version(), "--reason", "best IC", "--by", "alice",
                "--tracking-uri", uri, "--cache", cache);
        assertThat(promote.code()).as(promote.err()).isZero();
        assertThat(promote.out()).contains("promoted " + name + "/" + strong.version() + " to @champion");
        assertThat(registry.resolve(ModelRef.parse(name + "@champion")).version()).isEqualTo(strong.version());

        CliRun worse = CliRun.of("models", "promote", name, weak.version(), "--reason", "newer", "--tracking-uri", uri, "--cache", cache);
        assertThat(worse.code()).isEqualTo(ForesailCli.EXIT_ERROR);
        assertThat(worse.err()).contains("0.012").contains("0.031");
        assertThat(registry.resolve(ModelRef.parse(name + "@champion")).version()).as("unchanged").isEqualTo(strong.version());
        CliRun noReason = CliRun.of("models", "promote", name, weak.version(), "--tracking-uri", uri);
        assertThat(noReason.code()).isNotZero();
        assertThat(noReason.err()).contains("--reason");

        CliRun forced = CliRun.of("models", "promote", name, weak.version(), "--reason", "canary", "--force", "--tracking-uri", uri,
                "--cache", cache);
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("(was " + name + "/" + strong.version() + ")").contains("[forced]");

        CliRun list = CliRun.of("models", "list", name, "--tracking-uri", uri, "--cache", cache);
        assertThat(list.code()).as(list.err()).isZero();
        List<String> rows = list.out().lines().skip(1).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).as("newest first").startsWith(weak.version() + " ").contains("@champion").contains("0.0120")
                .contains(weak.runId());
        assertThat(rows.get(1)).startsWith(strong.version() + " ").contains("0.0310").doesNotContain("@champion");
    }

    @Test
    void mlflowStartStatusStop() {
        int port = MlflowTestServer.freePort();
        String venv = Path.of(System.getProperty("foresail.repoRoot", "..")).resolve("work").resolve("venv-mlflow").toString();
        String[] where = {"--home", dir.resolve("mlflow").toString(), "--port", Integer.toString(port), "--venv", venv};
        CliRun before = CliRun.of(concat("mlflow", "status", where));
        assertThat(before.code()).isEqualTo(1);
        assertThat(before.out()).contains("not running at http://127.0.0.1:" + port);
        CliRun start = CliRun.of(concat("mlflow", "start", where));
        try {
            assertThat(start.code()).as(start.err()).isZero();
            assertThat(start.out()).contains("MLflow is running at http://127.0.0.1:" + port)
                    .contains("export MLFLOW_TRACKING_URI=http://127.0.0.1:" + port);
            CliRun status = CliRun.of(concat("mlflow", "status", where));
            assertThat(status.code()).isZero();
            assertThat(status.out()).startsWith("running at http://127.0.0.1:" + port);
            assertThat(dir.resolve("mlflow").resolve("mlflow.db")).exists();
        } finally {
            CliRun stop = CliRun.of(concat("mlflow", "stop", where));
            assertThat(stop.out()).contains("MLflow stopped");
        }
        assertThat(CliRun.of(concat("mlflow", "status", where)).code()).isEqualTo(1);
        assertThat(CliRun.of(concat("mlflow", "stop", where)).out()).contains("no MLflow server was running");
    }

    private static String[] concat(String a, String b, String[] rest) {
        String[] out = new String[rest.length + 2];
        out[0] = a;
        out[1] = b;
        System.arraycopy(rest, 0, out, 2, rest.length);
        return out;
    }

    private static Path ridge(Path out) {
        SplittableRandom r = new SplittableRandom(1);
        int n = 300;
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) r.nextGaussian();
            x[2 * i + 1] = (float) r.nextGaussian();
            y[i] = x[2 * i] + (float) r.nextGaussian() * 0.1f;
        }
        TrainingData d = new TrainingData(new FeatureMatrix(x, n, 2), y);
        RidgeTrainer t = new RidgeTrainer();
        try (Model m = t.fit(new FitRequest(d, d, new FitProvenance(Task.REGRESSION, t.searchSpace().defaults(),
                List.of("a", "b"), "y", "set", "", "", 1, 1)))) {
            ModelArtifact.save(m, out);
        }
        return out;
    }
}
