package io.foresail.alpacasim.server;

import io.foresail.alpacasim.SimFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A network round trip on the simulator: every API answer comes that much later (the control API
 * at once), requests are executed on arrival, and the server reports how many a client had in
 * flight at once, so a client's concurrency can be asserted from the venue's side.
 */
class LatencyTest {
    private static final Duration LATENCY = Duration.ofMillis(300);

    @Test
    void answersComeARoundTripLaterAndTheRequestsInFlightAtOnceAreCounted() {
        try (SimServer server = SimFixture.server(SimServerConfig.defaults().withLatency(LATENCY))) {
            SimClient client = new SimClient(server.baseUri(), SimServerConfig.DEFAULT_KEY_ID, SimServerConfig.DEFAULT_SECRET);
            assertThat(client.post("/sim/advance", "{\"minutes\":1}").status()).isEqualTo(200);
            assertThat(client.get("/sim/status").body().get("order_submissions_in_flight_max").asInt()).isZero();

            long t0 = System.nanoTime();
            assertThat(client.get("/v2/account").status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("one request: a round trip at least")
                    .isGreaterThanOrEqualTo(LATENCY);

            // Three submissions at once: all executed and answered, and all three seen in flight together.
            List<CompletableFuture<SimClient.Answer>> sent = new ArrayList<>();
            for (String symbol : List.of("AAA", "BBB", "SPY")) {
                sent.add(CompletableFuture.supplyAsync(() -> client.post("/v2/orders", "{\"symbol\":\"" + symbol
                        + "\",\"qty\":\"3\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\","
                        + "\"client_order_id\":\"lat-" + symbol + "\"}")));
            }
            for (CompletableFuture<SimClient.Answer> f : sent) {
                assertThat(f.join().status()).isEqualTo(200);
            }
            var status = client.get("/sim/status").body();
            assertThat(status.get("order_submissions_in_flight_max").asInt()).isEqualTo(3);
            assertThat(status.get("api_requests_in_flight_max").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(client.get("/sim/ledger").body().get("orders")).hasSize(3);
        }
    }

    @Test
    void aLatencyOutOfRangeIsRefusedNamingIt() {
        assertThatThrownBy(() -> SimServerConfig.defaults().withLatency(Duration.ofMillis(-1)))
                .hasMessageContaining("latency must be 0 to 60 s");
    }
}
