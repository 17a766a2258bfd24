package io.foresail.alpacasim.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpacasim.SimFixture;
import io.foresail.alpacasim.Simulator;
import io.foresail.alpacasim.fault.FaultPlan;
import io.foresail.alpacasim.fault.FaultSpec;
import io.foresail.backtest.venue.ExecutionConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every fault on demand, over real HTTP and WebSocket, each counted in the ledger. */
class FaultsTest {
    private SimServer server;
    private SimClient client;

    @BeforeEach
    void start() {
        server = SimFixture.server(SimServerConfig.defaults());
        client = new SimClient(server.baseUri(), SimServerConfig.DEFAULT_KEY_ID, SimServerConfig.DEFAULT_SECRET);
        advance(1);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void advance(int minutes) {
        assertThat(client.post("/sim/advance", "{\"minutes\":" + minutes + "}").status()).isEqualTo(200);
    }

    private void inject(String json) {
        SimClient.Answer a = client.post("/sim/faults", json);
        assertThat(a.status()).as(json + ": " + a.body()).isEqualTo(200);
    }

    private JsonNode faults() {
        return client.get("/sim/ledger").body().get("faults");
    }

    private SimClient.Answer order(String clientId, String qty) {
        return client.post("/v2/orders", "{\"symbol\":\"AAA\",\"qty\":\"" + qty + "\",\"side\":\"buy\",\"type\":\"market\","
                + "\"time_in_force\":\"day\",\"client_order_id\":\"" + clientId + "\"}");
    }

    private URI ws(String path) {
        return URI.create(server.baseUri().toString().replace("http://", "ws://") + path);
    }

    private SimClient.Stream tradeUpdates() throws InterruptedException {
        SimClient.Stream s = SimClient.Stream.open(ws("/stream"));
        s.send("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"" + SimServerConfig.DEFAULT_KEY_ID + "\",\"secret_key\":\""
                + SimServerConfig.DEFAULT_SECRET + "\"}}");
        s.next();
        s.send("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
        s.next();
        return s;
    }

    private SimClient.Stream marketData() throws InterruptedException {
        SimClient.Stream s = SimClient.Stream.open(ws("/v2/iex"));
        s.next();
        s.send("{\"action\":\"auth\",\"key\":\"" + SimServerConfig.DEFAULT_KEY_ID + "\",\"secret\":\""
                + SimServerConfig.DEFAULT_SECRET + "\"}");
        JsonNode auth = s.next();
        if (auth.get(0).get("T").asText().equals("success")) {
            s.send("{\"action\":\"subscribe\",\"bars\":[\"*\"]}");
            s.next();
        } else {
            s.messages.add(auth); // leave the refusal for the caller to read
        }
        return s;
    }

    @Test
    void fiveHundredsFailTheNextRequestsWithoutExecutingThem() {
        inject("{\"kind\":\"http_5xx\",\"count\":2,\"status\":503}");
        SimClient.Answer first = order("x-1", "1");
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.body().get("code").asInt()).isEqualTo(50310000);
        assertThat(client.get("/v2/account").status()).isEqualTo(503);
        assertThat(client.get("/v2/orders:by_client_order_id?client_order_id=x-1").status()).isEqualTo(404);
        assertThat(faults().get("http_5xx").asInt()).isEqualTo(2);
        assertThat(faults().get("injected.http_5xx").asInt()).isEqualTo(1);
    }

    @Test
    void aLostResponseLeavesTheOrderPlacedForTheClientToFindByItsId() {
        inject("{\"kind\":\"lost_response\"}");
        assertThatThrownBy(() -> order("lost-1", "2")).isInstanceOf(UncheckedIOException.class);
        SimClient.Answer found = client.get("/v2/orders:by_client_order_id?client_order_id=lost-1");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().get("status").asText()).isEqualTo("new");
        SimClient.Answer retried = order("lost-1", "2");
        assertThat(retried.status()).as("a blind resend is refused").isEqualTo(422);
        assertThat(faults().get("lost_response").asInt()).isEqualTo(1);
    }

    @Test
    void aRateLimitBurstAnswers429WithTheHeaders() {
        inject("{\"kind\":\"rate_limit_burst\"}");
        SimClient.Answer a = client.get("/v2/account");
        assertThat(a.status()).isEqualTo(429);
        assertThat(a.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(a.header("X-RateLimit-Reset")).isNotNull();
        assertThat(faults().get("rate_limited_429").asInt()).isEqualTo(1);
    }

    @Test
    void aRejectedOrderIsAcceptedThenRejectedOnTheStream() throws Exception {
        try (SimClient.Stream s = tradeUpdates()) {
            inject("{\"kind\":\"reject_orders\",\"count\":1}");
            SimClient.Answer a = order("rej-1", "1");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body().get("status").asText()).isEqualTo("new");
            assertThat(s.next().get("data").get("event").asText()).isEqualTo("new");
            assertThat(s.next().get("data").get("event").asText()).isEqualTo("rejected");
            assertThat(client.get("/v2/orders/" + a.body().get("id").asText()).body().get("status").asText()).isEqualTo("rejected");
            assertThat(order("ok-1", "1").body().get("status").asText()).isEqualTo("new");
            assertThat(s.next().get("data").get("event").asText()).isEqualTo("new");
        }
    }

    @Test
    void tradeUpdatesCanArriveTwiceOrOutOfOrder() throws Exception {
        try (SimClient.Stream s = tradeUpdates()) {
            inject("{\"kind\":\"duplicate_updates\",\"probability\":1.0}");
            String id = order("dup-1", "1").body().get("id").asText();
            JsonNode a = s.next();
            JsonNode b = s.next();
            assertThat(a).isEqualTo(b);
            assertThat(a.get("data").get("order").get("id").asText()).isEqualTo(id);
            inject("{\"kind\":\"duplicate_updates\",\"probability\":0.0}");
            inject("{\"kind\":\"out_of_order_updates\",\"probability\":1.0}");
            String first = order("ooo-1", "1").body().get("id").asText();
            String second = order("ooo-2", "1").body().get("id").asText();
            assertThat(s.next().get("data").get("order").get("id").asText()).isEqualTo(second);
            assertThat(s.next().get("data").get("order").get("id").asText()).isEqualTo(first);
            assertThat(faults().get("duplicate_update").asInt()).isEqualTo(1);
            assertThat(faults().get("out_of_order_update").asInt()).isPositive();
        }
    }

    @Test
    void streamsDropCleanlyOrAbruptlyAndStallSilently() throws Exception {
        SimClient.Stream md = marketData();
        inject("{\"kind\":\"stream_stall\",\"stream\":\"market_data\",\"seconds\":1.5}");
        advance(1);
        assertThat(md.poll(400)).as("stalled: nothing arrives, the connection stays open").isNull();
        assertThat(md.closed).isFalse();
        Thread.sleep(1200);
        advance(1);
        assertThat(md.next().get(0).get("T").asText()).isEqualTo("b");
        inject("{\"kind\":\"stream_drop\",\"stream\":\"market_data\",\"mode\":\"close\"}");
        for (int i = 0; i < 50 && !md.closed; i++) {
            Thread.sleep(50);
        }
        assertThat(md.closed).as("a clean close: the client gets a close frame").isTrue();
        md.close();

        SimClient.Stream tu = tradeUpdates();
        inject("{\"kind\":\"stream_drop\",\"stream\":\"trade_updates\",\"mode\":\"reset\"}");
        Thread.sleep(300);
        assertThat(tu.closed).as("a reset: no close frame").isFalse();
        assertThat(tu.error).as("the connection died under the client").isNotNull();
        tu.close();
        assertThat(faults().get("stream_closed").asInt()).isEqualTo(1);
        assertThat(faults().get("stream_reset").asInt()).isEqualTo(1);
    }

    @Test
    void aReconnectWithinTheWindowGets406AndASlowClientIsCutOffWith407() throws Exception {
        inject("{\"kind\":\"reconnect_406\",\"seconds\":30}");
        try (SimClient.Stream s = marketData()) {
            JsonNode refused = s.next().get(0);
            assertThat(refused.get("code").asInt()).isEqualTo(406);
        }
        server.faultState().reject406(0.001);
        Thread.sleep(5);
        try (SimClient.Stream s = marketData()) {
            inject("{\"kind\":\"slow_client\"}");
            JsonNode cut = s.next().get(0);
            assertThat(cut.get("code").asInt()).isEqualTo(407);
            assertThat(cut.get("msg").asText()).isEqualTo("slow client");
        }
        assertThat(faults().get("connection_limit_406").asInt()).isEqualTo(1);
        assertThat(faults().get("slow_client_407").asInt()).isEqualTo(1);
    }

    @Test
    void delayedPartialAndHaltedFills() {
        inject("{\"kind\":\"delayed_fills\",\"minutes\":3}");
        String late = order("late-1", "1").body().get("id").asText();
        advance(4);
        assertThat(client.get("/v2/orders/" + late).body().get("status").asText()).isEqualTo("new");
        advance(1);
        assertThat(client.get("/v2/orders/" + late).body().get("status").asText()).isEqualTo("filled");
        inject("{\"kind\":\"delayed_fills\",\"minutes\":0}");

        inject("{\"kind\":\"partial_fills\",\"probability\":1.0}");
        String parts = order("parts-1", "100").body().get("id").asText();
        advance(2);
        JsonNode partly = client.get("/v2/orders/" + parts).body();
        assertThat(partly.get("status").asText()).isEqualTo("partially_filled");
        assertThat(Double.parseDouble(partly.get("filled_qty").asText())).isBetween(1.0, 99.0);
        inject("{\"kind\":\"partial_fills\",\"probability\":0.0}");

        inject("{\"kind\":\"halt\",\"symbol\":\"BBB\"}");
        String halted = client.post("/v2/orders", "{\"symbol\":\"BBB\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\","
                + "\"time_in_force\":\"day\"}").body().get("id").asText();
        advance(3);
        assertThat(client.get("/v2/orders/" + halted).body().get("status").asText()).isEqualTo("new");
        inject("{\"kind\":\"halt\",\"symbol\":\"BBB\",\"halted\":false}");
        advance(1);
        assertThat(client.get("/v2/orders/" + halted).body().get("status").asText()).isEqualTo("filled");
        SimClient.Answer bad = client.post("/sim/faults", "{\"kind\":\"meteor_strike\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().get("message").asText()).contains("meteor_strike").contains("stream_drop");
    }

    /** A scripted chaos run: orders, fills and faults from a fault file, played twice. */
    private static JsonNode chaosRun() {
        FaultPlan plan = new FaultPlan(7L, List.of(
                spec("2024-03-04T14:33:00Z", "duplicate_updates", 0.5),
                spec("2024-03-04T14:34:00Z", "partial_fills", 0.7),
                new FaultSpec(Instant.parse("2024-03-04T14:36:00Z"), "reject_orders", null, null, null, 2, null, null, null,
                        null, null)));
        Simulator sim = new Simulator(SimFixture.market(), ExecutionConfig.defaults(), SimFixture.MONDAY_OPEN, 0);
        try (SimServer s = SimServer.start(sim, SimServerConfig.defaults(), plan)) {
            SimClient c = new SimClient(s.baseUri(), SimServerConfig.DEFAULT_KEY_ID, SimServerConfig.DEFAULT_SECRET);
            for (int minute = 0; minute < 12; minute++) {
                c.post("/v2/orders", "{\"symbol\":\"" + List.of("AAA", "BBB", "SPY").get(minute % 3) + "\",\"qty\":\""
                        + (50 + minute) + "\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\","
                        + "\"client_order_id\":\"chaos-" + minute + "\"}");
                c.post("/sim/advance", "{\"minutes\":1}");
            }
            return c.get("/sim/ledger").body();
        }
    }

    private static FaultSpec spec(String at, String kind, double p) {
        return new FaultSpec(Instant.parse(at), kind, null, null, null, null, null, p, null, null, null);
    }

    @Test
    void aFaultFileFiresAtMarketTimesAndTheSameSeedReplaysTheSameRun() {
        JsonNode first = chaosRun();
        JsonNode again = chaosRun();
        assertThat(first.get("faults").get("injected.partial_fills").asInt()).isEqualTo(1);
        assertThat(first.get("faults").get("rejected_order").asInt()).isEqualTo(2);
        List<String> statuses = new ArrayList<>();
        first.get("orders").forEach(o -> statuses.add(o.get("status").asText()));
        assertThat(statuses).contains("rejected", "filled");
        assertThat(first.get("fills").size()).isGreaterThan(first.get("orders").size() - 4);
        assertThat(again).as("same plan, same seed, same ledger").isEqualTo(first);
    }
}
