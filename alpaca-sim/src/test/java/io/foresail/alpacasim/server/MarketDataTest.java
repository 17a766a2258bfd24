package io.foresail.alpacasim.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpacasim.SimFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Market Data API and both streams on the simulator, over real HTTP and WebSocket. */
class MarketDataTest {
    private static SimServer server;
    private static SimClient client;

    @BeforeAll
    static void start() {
        server = SimFixture.server(SimServerConfig.defaults());
        client = new SimClient(server.baseUri(), SimServerConfig.DEFAULT_KEY_ID, SimServerConfig.DEFAULT_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        client.post("/sim/reset", null);
    }

    private static URI ws(String path) {
        return URI.create(server.baseUri().toString().replace("http://", "ws://") + path);
    }

    /** Every bar of every page, following next_page_token to the end. */
    private static Map<String, List<JsonNode>> allPages(String query) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        String token = null;
        int pages = 0;
        do {
            String url = "/v2/stocks/bars?" + query + (token == null ? "" : "&page_token="
                    + URLEncoder.encode(token, StandardCharsets.UTF_8));
            SimClient.Answer a = client.get(url);
            assertThat(a.status()).as(url).isEqualTo(200);
            a.body().get("bars").fields().forEachRemaining(e -> e.getValue()
                    .forEach(b -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(b)));
            token = a.body().get("next_page_token").isNull() ? null : a.body().get("next_page_token").asText();
            pages++;
        } while (token != null && pages < 1000);
        return out;
    }

    @Test
    void barsPageAcrossSymbolsWithTheLimitOverAllOfThemAndNeverServeTheFuture() {
        client.post("/sim/advance", "{\"to\":\"2024-03-05T21:00:00Z\"}"); // two whole sessions have passed
        Map<String, List<JsonNode>> paged = allPages("symbols=BBB,AAA&timeframe=15Min&start=2024-03-04&limit=7");
        assertThat(paged.keySet()).containsExactly("AAA", "BBB"); // alphabetical, as Alpaca pages
        Map<String, List<JsonNode>> onePage = allPages("symbols=AAA,BBB&timeframe=15Min&start=2024-03-04&limit=10000");
        assertThat(paged).isEqualTo(onePage);
        assertThat(paged.get("AAA")).hasSize(52);
        // The stored bars come back as they are.
        var stored = SimFixture.bars(List.of("AAA", "BBB", "SPY"), 5, 7).get("AAA");
        for (int i = 0; i < 52; i++) {
            JsonNode b = paged.get("AAA").get(i);
            assertThat(Instant.parse(b.get("t").asText())).isEqualTo(stored.get(i).start());
            assertThat(b.get("o").asDouble()).isEqualTo(stored.get(i).open());
            assertThat(b.get("c").asDouble()).isEqualTo(stored.get(i).close());
            assertThat(b.get("v").asLong()).isEqualTo((long) stored.get(i).volume());
            assertThat(b.get("n").asLong()).isEqualTo(stored.get(i).tradeCount());
            assertThat(b.get("vw").asDouble()).isEqualTo(stored.get(i).vwap());
        }
        // Mid-session: only bars that have ended.
        client.post("/sim/reset", null);
        client.post("/sim/advance", "{\"to\":\"2024-03-04T15:07:00Z\"}"); // 10:07 New York
        List<JsonNode> sofar = allPages("symbols=AAA&timeframe=15Min&start=2024-03-04").get("AAA");
        assertThat(sofar).extracting(b -> b.get("t").asText())
                .containsExactly("2024-03-04T14:30:00Z", "2024-03-04T14:45:00Z");
        List<JsonNode> minutes = allPages("symbols=AAA&timeframe=1Min&start=2024-03-04").get("AAA");
        assertThat(minutes).hasSizeLessThanOrEqualTo(37);
        assertThat(Instant.parse(minutes.get(minutes.size() - 1).get("t").asText()))
                .isBefore(Instant.parse("2024-03-04T15:07:00Z"));
    }

    @Test
    void minuteBarsServedByTheApiAggregateToTheStoredBars() {
        client.post("/sim/advance", "{\"to\":\"2024-03-04T21:00:00Z\"}");
        List<JsonNode> minutes = allPages("symbols=BBB&timeframe=1Min&start=2024-03-04&limit=10000").get("BBB");
        List<JsonNode> quarters = allPages("symbols=BBB&timeframe=15Min&start=2024-03-04").get("BBB");
        assertThat(quarters).hasSize(26);
        for (JsonNode q : quarters) {
            Instant t = Instant.parse(q.get("t").asText());
            List<JsonNode> in = minutes.stream().filter(m -> {
                Instant mt = Instant.parse(m.get("t").asText());
                return !mt.isBefore(t) && mt.isBefore(t.plusSeconds(900));
            }).toList();
            assertThat(in.get(0).get("o").asDouble()).isEqualTo(q.get("o").asDouble());
            assertThat(in.get(in.size() - 1).get("c").asDouble()).isEqualTo(q.get("c").asDouble());
            assertThat(in.stream().mapToDouble(m -> m.get("h").asDouble()).max().orElseThrow()).isEqualTo(q.get("h").asDouble());
            assertThat(in.stream().mapToDouble(m -> m.get("l").asDouble()).min().orElseThrow()).isEqualTo(q.get("l").asDouble());
            assertThat(in.stream().mapToLong(m -> m.get("v").asLong()).sum()).isEqualTo(q.get("v").asLong());
            assertThat(in.stream().mapToLong(m -> m.get("n").asLong()).sum()).isEqualTo(q.get("n").asLong());
            double notional = in.stream().mapToDouble(m -> m.get("v").asLong() * m.get("vw").asDouble()).sum();
            assertThat(notional / q.get("v").asLong()).isCloseTo(q.get("vw").asDouble(), within(1e-9));
        }
        SimClient.Answer bad = client.get("/v2/stocks/bars?symbols=BBB&timeframe=7Weeks");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("message").asText()).contains("invalid timeframe");
    }

    @Test
    void theMarketDataStreamSpeaksAlpacasProtocolAndStreamsEachMinute() throws Exception {
        try (SimClient.Stream s = SimClient.Stream.open(ws("/v2/iex"))) {
            assertThat(s.next().get(0).get("msg").asText()).isEqualTo("connected");
            s.send("{\"action\":\"subscribe\",\"bars\":[\"AAA\"]}");
            assertThat(s.next().get(0).get("code").asInt()).isEqualTo(401);
            s.send("{\"action\":\"auth\",\"key\":\"" + SimServerConfig.DEFAULT_KEY_ID + "\",\"secret\":\"wrong\"}");
            assertThat(s.next().get(0).get("code").asInt()).isEqualTo(402);
            s.send("{\"action\":\"auth\",\"key\":\"" + SimServerConfig.DEFAULT_KEY_ID + "\",\"secret\":\""
                    + SimServerConfig.DEFAULT_SECRET + "\"}");
            assertThat(s.next().get(0).get("msg").asText()).isEqualTo("authenticated");
            s.send("{\"action\":\"subscribe\",\"bars\":[\"AAA\",\"SPY\"]}");
            JsonNode sub = s.next().get(0);
            assertThat(sub.get("T").asText()).isEqualTo("subscription");
            assertThat(sub.get("bars")).extracting(JsonNode::asText).containsExactly("AAA", "SPY");
            s.send("not json");
            assertThat(s.next().get(0).get("code").asInt()).isEqualTo(400);

            // A second connection with the same key is refused with 406.
            try (SimClient.Stream second = SimClient.Stream.open(ws("/v2/sip"))) {
                second.next();
                second.send("{\"action\":\"auth\",\"key\":\"" + SimServerConfig.DEFAULT_KEY_ID + "\",\"secret\":\""
                        + SimServerConfig.DEFAULT_SECRET + "\"}");
                JsonNode refused = second.next().get(0);
                assertThat(refused.get("code").asInt()).isEqualTo(406);
                assertThat(refused.get("msg").asText()).isEqualTo("connection limit exceeded");
            }

            client.post("/sim/advance", "{\"minutes\":3}");
            List<JsonNode> bars = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                s.next().forEach(bars::add);
            }
            assertThat(bars).allSatisfy(b -> {
                assertThat(b.get("T").asText()).isEqualTo("b");
                assertThat(b.get("S").asText()).isIn("AAA", "SPY");
            });
            assertThat(bars).extracting(b -> b.get("t").asText()).contains("2024-03-04T14:30:00Z", "2024-03-04T14:32:00Z");
            List<JsonNode> rest = allPages("symbols=AAA&timeframe=1Min&start=2024-03-04").get("AAA");
            JsonNode streamed = bars.stream().filter(b -> b.get("S").asText().equals("AAA")).findFirst().orElseThrow();
            assertThat(streamed.get("c").asDouble()).isEqualTo(rest.get(0).get("c").asDouble());
            assertThat(streamed.get("vw").asDouble()).isEqualTo(rest.get(0).get("vw").asDouble());
        }
        assertThat(client.get("/sim/ledger").body().get("faults").get("connection_limit_406").asInt()).isEqualTo(1);
    }

    @Test
    void theTradeUpdatesStreamSendsEveryOrderEventInBinaryFramesAfterAuthorization() throws Exception {
        try (SimClient.Stream s = SimClient.Stream.open(ws("/stream"))) {
            assertThat(s.poll(300)).as("nothing before authorization").isNull();
            s.send("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"" + SimServerConfig.DEFAULT_KEY_ID
                    + "\",\"secret_key\":\"" + SimServerConfig.DEFAULT_SECRET + "\"}}");
            JsonNode auth = s.next();
            assertThat(s.binary.take()).isTrue();
            assertThat(auth.get("stream").asText()).isEqualTo("authorization");
            assertThat(auth.get("data").get("status").asText()).isEqualTo("authorized");
            s.send("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
            assertThat(s.next().get("data").get("streams").get(0).asText()).isEqualTo("trade_updates");

            client.post("/sim/advance", "{\"minutes\":1}");
            JsonNode placed = client.post("/v2/orders", "{\"symbol\":\"SPY\",\"qty\":\"20\",\"side\":\"buy\","
                    + "\"type\":\"market\",\"time_in_force\":\"day\",\"client_order_id\":\"stream-1\"}").body();
            JsonNode created = s.next();
            assertThat(created.get("stream").asText()).isEqualTo("trade_updates");
            assertThat(created.get("data").get("event").asText()).isEqualTo("new");
            assertThat(created.get("data").get("order").get("id").asText()).isEqualTo(placed.get("id").asText());
            client.post("/sim/advance", "{\"minutes\":2}");
            JsonNode fill = s.next().get("data");
            assertThat(fill.get("event").asText()).isEqualTo("fill");
            assertThat(fill.get("execution_id").asText()).isNotEmpty();
            assertThat(fill.get("qty").asText()).isEqualTo("20");
            assertThat(fill.get("position_qty").asText()).isEqualTo("20");
            assertThat(fill.get("order").get("filled_qty").asText()).isEqualTo("20");
            assertThat(fill.get("order").get("status").asText()).isEqualTo("filled");
            JsonNode activity = client.get("/v2/account/activities/FILL").body().get(0);
            assertThat(activity.get("id").asText()).isEqualTo(fill.get("execution_id").asText());
            assertThat(activity.get("price").asText()).isEqualTo(fill.get("price").asText());
        }
        try (SimClient.Stream s = SimClient.Stream.open(ws("/stream"))) {
            s.send("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"x\",\"secret_key\":\"y\"}}");
            assertThat(s.next().get("data").get("status").asText()).isEqualTo("unauthorized");
        }
    }
}
