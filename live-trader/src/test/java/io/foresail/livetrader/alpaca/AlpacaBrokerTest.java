package io.foresail.livetrader.alpaca;

import io.foresail.alpaca.rest.AlpacaCredentials;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpaca.wire.AlpacaJson;
import io.foresail.alpacasim.SimFixture;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.alpacasim.server.SimServerConfig;
import io.foresail.trading.broker.BrokerException;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.broker.Order;
import io.foresail.trading.broker.OrderRequest;
import io.foresail.trading.broker.OrderStatus;
import io.foresail.trading.broker.OrderUpdate;
import io.foresail.trading.broker.Side;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Alpaca broker against the simulator, over real HTTP and WebSocket, with the simulator's faults. */
class AlpacaBrokerTest {
    private SimServer server;
    private AlpacaBroker broker;
    private final List<OrderUpdate> updates = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws InterruptedException {
        server = SimFixture.server(SimServerConfig.defaults());
        control("/sim/advance", "{\"minutes\":1}");
        AlpacaBroker.Settings fast = new AlpacaBroker.Settings(new AlpacaTradingClient.Settings(Duration.ofSeconds(5), 5,
                Duration.ofMillis(20), Duration.ofSeconds(2)), 4, Duration.ofSeconds(5), Duration.ofDays(1));
        broker = new AlpacaBroker(AlpacaEndpoints.at(server.baseUri()), new AlpacaCredentials(SimServerConfig.DEFAULT_KEY_ID,
                SimServerConfig.DEFAULT_SECRET), fast, null);
        broker.onUpdate(updates::add);
        broker.start();
        await(broker::streaming);
    }

    @AfterEach
    void stop() {
        broker.close();
        server.close();
    }

    private JsonNode control(String path, String json) {
        return control(server, path, json);
    }

    private JsonNode control(SimServer on, String path, String json) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(on.baseUri().resolve(path))
                    .method(json == null ? "GET" : "POST", json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
            return AlpacaJson.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<Fill> fills() {
        synchronized (updates) {
            return updates.stream().filter(u -> u.fill() != null).map(OrderUpdate::fill).toList();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        assertThat(condition.getAsBoolean()).as("condition within 15 s").isTrue();
    }

    /** Orders in the simulator's ledger per client order id: the ground truth. */
    private Map<String, Integer> ledgerOrdersByClientId() {
        Map<String, Integer> out = new HashMap<>();
        control("/sim/ledger", null).get("orders").forEach(o -> out.merge(o.get("client_order_id").asText(), 1, Integer::sum));
        return out;
    }

    @Test
    void anOrderIsPlacedFilledAndReportedOnceThroughThePort() throws Exception {
        Order placed = broker.submit(OrderRequest.market("s-20240304T1431Z-AAA-0o", "AAA", Side.BUY, 7));
        assertThat(placed.status()).isEqualTo(OrderStatus.NEW);
        assertThat(broker.openOrders()).extracting(Order::clientOrderId).containsExactly("s-20240304T1431Z-AAA-0o");
        control("/sim/advance", "{\"minutes\":2}");
        await(() -> fills().size() == 1);
        Fill f = fills().get(0);
        assertThat(f.quantity()).isEqualTo(7);
        assertThat(f.clientOrderId()).isEqualTo("s-20240304T1431Z-AAA-0o");
        assertThat(broker.positions()).singleElement().satisfies(p -> {
            assertThat(p.symbol()).isEqualTo("AAA");
            assertThat(p.quantity()).isEqualTo(7);
        });
        assertThat(broker.account().cash()).isLessThan(100_000);
        assertThat(broker.cancel(placed.id()).status()).as("a filled order stays filled").isEqualTo(OrderStatus.FILLED);
    }

    @Test
    void aLostResponseOrA5xxNeverLeadsToASecondOrder() {
        control("/sim/faults", "{\"kind\":\"lost_response\",\"count\":1}");
        Order a = broker.submit(OrderRequest.market("lost-a", "AAA", Side.BUY, 3));
        assertThat(a.clientOrderId()).isEqualTo("lost-a");
        control("/sim/faults", "{\"kind\":\"http_5xx\",\"count\":1,\"status\":503}");
        Order b = broker.submit(OrderRequest.market("five-b", "BBB", Side.BUY, 2));
        assertThat(b.clientOrderId()).isEqualTo("five-b");
        Order again = broker.submit(OrderRequest.market("lost-a", "AAA", Side.BUY, 3));
        assertThat(again.id()).as("a resubmission is answered with the order already placed").isEqualTo(a.id());
        Map<String, Integer> ledger = ledgerOrdersByClientId();
        assertThat(ledger).containsEntry("lost-a", 1).containsEntry("five-b", 1);
        JsonNode faults = control("/sim/ledger", null).get("faults");
        assertThat(faults.get("lost_response").asInt()).isEqualTo(1);
        assertThat(faults.get("http_5xx").asInt()).isEqualTo(1);
    }

    @Test
    void aRefusalIsNotRetriedAndNamesNoSecret() {
        assertThatThrownBy(() -> broker.submit(OrderRequest.market("too-big", "AAA", Side.BUY, 10_000_000)))
                .isInstanceOf(AlpacaApiException.class).hasMessageContaining("insufficient buying power")
                .hasMessageNotContaining(SimServerConfig.DEFAULT_SECRET);
        assertThat(ledgerOrdersByClientId()).doesNotContainKey("too-big");
        AlpacaTradingClient wrong = new AlpacaTradingClient(server.baseUri(), new AlpacaCredentials(
                SimServerConfig.DEFAULT_KEY_ID, "s3cret-that-must-not-leak"), AlpacaTradingClient.Settings.defaults());
        assertThatThrownBy(wrong::account).isInstanceOf(BrokerException.class).hasMessageContaining("403")
                .hasMessageNotContaining("s3cret-that-must-not-leak");
        assertThat(new AlpacaCredentials("k", "s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void anOrderNoLongerWantedIsNotSentAgainAfterAnUnansweredAttempt() {
        // A simulator of its own and a broker not started (no stream, so no catch-up read to take
        // the fault): every request it sees is the submission's.
        try (SimServer own = SimFixture.server(SimServerConfig.defaults());
             AlpacaBroker quiet = new AlpacaBroker(AlpacaEndpoints.at(own.baseUri()), new AlpacaCredentials(
                     SimServerConfig.DEFAULT_KEY_ID, SimServerConfig.DEFAULT_SECRET), AlpacaBroker.Settings.defaults(), null)) {
            control(own, "/sim/advance", "{\"minutes\":1}");
            // The first attempt fails without executing; the order is looked up, found absent, and
            // then withdrawn (as when the kill switch was engaged between the attempts), not resent.
            control(own, "/sim/faults", "{\"kind\":\"http_5xx\",\"count\":1,\"status\":503}");
            assertThatThrownBy(() -> quiet.submit(OrderRequest.market("withdrawn-1", "AAA", Side.BUY, 3), () -> false))
                    .isInstanceOf(OrderWithdrawnException.class).hasMessageContaining("withdrawn-1");
            // Still wanted: the same fault, and the order is placed once.
            control(own, "/sim/faults", "{\"kind\":\"http_5xx\",\"count\":1,\"status\":503}");
            quiet.submit(OrderRequest.market("wanted-1", "AAA", Side.BUY, 3), () -> true);
            List<String> placed = new ArrayList<>();
            control(own, "/sim/ledger", null).get("orders").forEach(o -> placed.add(o.get("client_order_id").asText()));
            assertThat(placed).containsExactly("wanted-1");
            assertThat(control(own, "/sim/ledger", null).get("faults").path("http_5xx").asInt())
                    .as("both attempts that failed were the submissions'").isEqualTo(2);
        }
    }

    @Test
    void duplicateAndOutOfOrderUpdatesReachListenersOnceAndNeverBackwards() throws Exception {
        control("/sim/faults", "{\"kind\":\"duplicate_updates\",\"probability\":1.0}");
        control("/sim/faults", "{\"kind\":\"out_of_order_updates\",\"probability\":0.5}");
        control("/sim/faults", "{\"kind\":\"partial_fills\",\"probability\":0.8}");
        for (int i = 0; i < 6; i++) {
            broker.submit(OrderRequest.market("dup-" + i, i % 2 == 0 ? "AAA" : "SPY", Side.BUY, 40 + i));
        }
        control("/sim/advance", "{\"minutes\":8}");
        int ledgerFills = control("/sim/ledger", null).get("fills").size();
        await(() -> fills().size() == ledgerFills);
        Thread.sleep(200);
        assertThat(fills()).hasSize(ledgerFills);
        assertThat(fills().stream().map(Fill::executionId).distinct().count()).isEqualTo(ledgerFills);
        assertThat(broker.counters().get("duplicate_fills_dropped")).isPositive();
        // Per order, the statuses a listener saw never go from ended back to open.
        Map<String, Boolean> ended = new HashMap<>();
        synchronized (updates) {
            for (OrderUpdate u : updates) {
                if (u.fill() == null) {
                    assertThat(ended.getOrDefault(u.order().id(), false)).as(u.toString()).isFalse();
                    ended.put(u.order().id(), !u.order().status().isOpen());
                }
            }
        }
    }

    @Test
    void fillsMissedWhileTheStreamWasDownAreRecoveredFromTheAccountsActivities() throws Exception {
        broker.submit(OrderRequest.market("gap-1", "AAA", Side.BUY, 5));
        control("/sim/advance", "{\"minutes\":2}");
        await(() -> fills().size() == 1);
        // The connection's own catch-up read may already have delivered gap-1 (it races the stream's event).
        long recoveredBefore = broker.counters().get("fills_recovered");
        // The stream stalls (connection up, nothing sent), then drops; fills happen meanwhile.
        control("/sim/faults", "{\"kind\":\"stream_stall\",\"stream\":\"trade_updates\",\"seconds\":1.0}");
        broker.submit(OrderRequest.market("gap-2", "BBB", Side.BUY, 6));
        broker.submit(OrderRequest.market("gap-3", "SPY", Side.BUY, 4));
        control("/sim/advance", "{\"minutes\":2}");
        Thread.sleep(1100);
        assertThat(fills()).as("the stalled stream delivered nothing").hasSize(1);
        control("/sim/faults", "{\"kind\":\"stream_drop\",\"stream\":\"trade_updates\",\"mode\":\"reset\"}");
        await(() -> fills().size() == 3);
        assertThat(fills()).extracting(Fill::clientOrderId).containsExactlyInAnyOrder("gap-1", "gap-2", "gap-3");
        assertThat(broker.counters().get("fills_recovered") - recoveredBefore).isEqualTo(2);
        assertThat(broker.counters().get("stream_reconnects")).isPositive();
        await(broker::streaming);
        broker.submit(OrderRequest.market("gap-4", "AAA", Side.BUY, 1));
        control("/sim/advance", "{\"minutes\":2}");
        await(() -> fills().size() == 4);
    }

    @Test
    void credentialsComeFromTheEnvironmentOrASecretFileAndSayWhatIsMissing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertThatThrownBy(() -> AlpacaCredentials.fromEnvironment(Map.of("APCA_API_KEY_ID", "k")))
                .hasMessageContaining("APCA_API_SECRET_KEY");
        assertThatThrownBy(() -> AlpacaCredentials.fromFile(dir.resolve("none.env"))).hasMessageContaining("none.env");
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("alpaca.env"),
                "# paper keys\nAPCA_API_KEY_ID=" + SimServerConfig.DEFAULT_KEY_ID + "\nAPCA_API_SECRET_KEY="
                        + SimServerConfig.DEFAULT_SECRET + "\n");
        AlpacaTradingClient c = new AlpacaTradingClient(server.baseUri(), AlpacaCredentials.fromFile(file),
                AlpacaTradingClient.Settings.defaults());
        assertThat(c.account().cash()).isEqualByComparingTo("100000");
        assertThat(AlpacaEndpoints.paper().trading()).isEqualTo(URI.create("https://paper-api.alpaca.markets"));
    }
}
