package io.foresail.pipelines.cli;

import io.foresail.core.progress.Progress;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SynthOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code foresail sim start|status|stop}: a real simulator process of its own, found and stopped again. */
class SimCommandTest {
    @TempDir
    Path dir;

    @Test
    void startPrintsWhereToPointAClientStatusFindsItAndStopEndsIt() throws Exception {
        SynthOutput.write(dir.resolve("m"), SynthConfig.builder().symbols(3).seed(5).start(LocalDate.of(2024, 3, 1))
                .end(LocalDate.of(2024, 3, 6)).build(), 0, Progress.NONE);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path state = dir.resolve("sim");
        Path faults = Files.writeString(dir.resolve("faults.yaml"), "seed: 3\nschedule:\n"
                + "  - {at: \"2024-03-04T14:40:00Z\", kind: duplicate_updates, probability: 0.5}\n");
        CliRun start = CliRun.of("sim", "start", "--bars", dir.resolve("m").resolve("bars").toString(), "--from", "2024-03-04",
                "--speed", "0", "--port", Integer.toString(port), "--dir", state.toString(), "--faults", faults.toString());
        try {
            assertThat(start.code()).as(start.err()).isZero();
            String base = "http://127.0.0.1:" + port;
            assertThat(start.out()).contains("trading API:   " + base).contains("ws://127.0.0.1:" + port + "/stream")
                    .contains("export APCA_API_BASE_URL=" + base);
            assertThat(state.resolve("sim-" + port + ".json")).exists();
            HttpResponse<String> account = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v2/account"))
                    .header("APCA-API-KEY-ID", io.foresail.alpacasim.server.SimServerConfig.DEFAULT_KEY_ID)
                    .header("APCA-API-SECRET-KEY", io.foresail.alpacasim.server.SimServerConfig.DEFAULT_SECRET).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(account.statusCode()).isEqualTo(200);
            assertThat(account.body()).contains("\"cash\":\"100000.00\"");

            CliRun status = CliRun.of("sim", "status", "--dir", state.toString());
            assertThat(status.code()).isZero();
            assertThat(status.out()).contains("port " + port).contains("\"now\":\"2024-03-04T14:30:00Z\"");

            CliRun twice = CliRun.of("sim", "start", "--bars", dir.resolve("m").resolve("bars").toString(), "--port",
                    Integer.toString(port), "--dir", state.toString());
            assertThat(twice.code()).isEqualTo(ForesailCli.EXIT_ERROR);
            assertThat(twice.err()).contains("already runs on port " + port);
        } finally {
            CliRun stop = CliRun.of("sim", "stop", "--port", Integer.toString(port), "--dir", state.toString());
            assertThat(stop.out()).contains("stopped");
        }
        assertThat(state.resolve("sim-" + port + ".json")).doesNotExist();
        assertThat(CliRun.of("sim", "status", "--dir", state.toString()).out()).contains("no simulator");
    }
}
