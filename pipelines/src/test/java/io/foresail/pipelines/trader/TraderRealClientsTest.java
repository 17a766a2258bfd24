package io.foresail.pipelines.trader;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.core.io.Json;
import io.foresail.registry.MlflowTestServer;
import io.foresail.registry.python.PythonEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trader (its own JVM) trades a few bars on the simulator; then two real clients check it
 * from outside: the official Alpaca SDK (alpaca-py, pinned in {@code work/venv-alpaca}) reads back
 * the account's orders and positions, which must be the trader's state; and a real Prometheus
 * (Debian's package, installed by {@code scripts/debian-packages.sh}) scrapes {@code /metrics},
 * after which a PromQL query returns the decision-latency series.
 */
class TraderRealClientsTest {
    private static final String SPEC = "name: clients\nfeatures: [{alpha158_kmid: [1]}, {alpha158_roc: [5]}, "
            + "{alpha158_std: [10]}]\ncross_sectional: {ops: [rank], features: [alpha158_roc_5_raw]}\n";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void alpacaPyReadsBackTheTradersOrdersAndPositionsAndPrometheusScrapesItsMetrics() throws Exception {
        Path home = Path.of(System.getProperty("foresail.repoRoot", "..")).toAbsolutePath().normalize();
        URI mlflow = MlflowTestServer.get().uri();
        try (Testbed bed = Testbed.create(6, LocalDate.of(2024, 1, 2), 2, 1, 3, dir.resolve("bed"), mlflow)) {
            bed.publishChampions("clients-s3", SPEC, 1, 3, false);
            Path state = dir.resolve("state");
            Path config = bed.writeConfig("clients-s3", 1, 300);
            try (TraderJvm trader = TraderJvm.start(home, bed.traderArgs(config, state, mlflow), bed.traderEnv(), state,
                    dir.resolve("trader.log"), Duration.ofSeconds(120))) {
                StateFile file = new StateFile(state);
                int decided = 0;
                for (int g = bed.firstBar(); g < bed.firstBar() + 6; g++) {
                    if (bed.playBar(g, file, Duration.ofSeconds(30))) {
                        decided++;
                    }
                }
                bed.advanceTo(bed.grid().start(bed.firstBar() + 6).plusSeconds(120)); // the last orders fill
                assertThat(decided).isEqualTo(6);
                awaitFillsRecorded(bed, file);

                // alpaca-py: the account as Alpaca's own SDK sees it is the trader's state.
                PythonEnv env = PythonEnv.ensure(home.resolve("work").resolve("venv-alpaca"),
                        "foresail/python/alpaca-requirements.txt");
                Path script = PythonEnv.script("foresail/python/alpaca_py_readback.py", dir.resolve("readback.py"));
                String[] lines = PythonEnv.exec(List.of(env.python().toString(), script.toString(),
                        bed.server().baseUri().toString(), Testbed.KEY_ID, Testbed.SECRET), dir, 300).strip().split("\n");
                JsonNode sdk = Json.MAPPER.readTree(lines[lines.length - 1]);
                Map<String, String> sdkOrders = new TreeMap<>();
                sdk.get("orders").fields().forEachRemaining(e -> sdkOrders.put(e.getKey(),
                        e.getValue().get("status").asText() + " " + Double.parseDouble(e.getValue().get("filled_qty").asText())));
                Map<String, String> traderOrders = new TreeMap<>();
                for (String row : file.column("SELECT client_order_id || '|' || status || '|' || filled_quantity FROM orders")) {
                    String[] p = row.split("\\|");
                    traderOrders.put(p[0], p[1].toLowerCase(java.util.Locale.ROOT) + " " + Double.parseDouble(p[2]));
                }
                assertThat(traderOrders).as("orders").isNotEmpty().isEqualTo(sdkOrders);
                Map<String, Double> sdkPositions = new TreeMap<>();
                sdk.get("positions").fields().forEachRemaining(e -> sdkPositions.put(e.getKey(),
                        Double.parseDouble(e.getValue().asText())));
                assertThat(file.positionsFromFills()).as("positions").isNotEmpty().isEqualTo(sdkPositions);

                // Prometheus: scrapes /metrics; PromQL finds the decision-latency series.
                Path prometheus = Path.of("/usr/bin/prometheus");
                assertThat(prometheus).as("Debian's prometheus (scripts/debian-packages.sh, run by ./foresail test)")
                        .exists();
                int port = freePort();
                Path yml = Files.writeString(dir.resolve("prometheus.yml"), """
                        global: {scrape_interval: 1s}
                        scrape_configs:
                          - job_name: foresail-trader
                            static_configs: [{targets: ["%s:%d"]}]
                        """.formatted(trader.http().getHost(), trader.http().getPort()));
                Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + yml, "--storage.tsdb.path="
                        + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
                try {
                    JsonNode series = null;
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (System.nanoTime() < deadline) {
                        series = promql(port, "foresail_trader_decision_latency_seconds_count");
                        if (series != null && series.size() > 0) {
                            break;
                        }
                        Thread.sleep(250);
                    }
                    assertThat(series).as("the decision-latency series in Prometheus; its log: "
                            + Files.readString(dir.resolve("prometheus.log"))).isNotNull().hasSize(1);
                    assertThat(series.get(0).get("metric").get("job").asText()).isEqualTo("foresail-trader");
                    assertThat(series.get(0).get("value").get(1).asDouble()).isEqualTo(6.0);
                    JsonNode up = promql(port, "up{job=\"foresail-trader\"}");
                    assertThat(up.get(0).get("value").get(1).asText()).isEqualTo("1");
                } finally {
                    p.destroy();
                    p.waitFor();
                }
                // SIGTERM: the trader finishes, closes and says so (143: the JVM's exit on SIGTERM).
                assertThat(trader.stop()).isIn(0, 143);
                assertThat(Files.readString(dir.resolve("trader.log"))).contains("trader stopped");
                assertThat(state.resolve("trader.json")).as("its process file removed").doesNotExist();
            }
        }
    }

    private static void awaitFillsRecorded(Testbed bed, StateFile file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int ledger = bed.simulator().ledger().snapshot().fills().size();
        while (file.column("SELECT execution_id FROM fills").size() < ledger && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(300); // the order events after the last fill
    }

    private static JsonNode promql(int port, String query) throws Exception {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()).path("data").path("result") : null;
        } catch (java.io.IOException e) {
            return null; // not listening yet
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
