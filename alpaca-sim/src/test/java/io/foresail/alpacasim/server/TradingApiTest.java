package io.foresail.alpacasim.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpacasim.SimFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Alpaca's Trading API on the simulator, over real HTTP: orders, fills, positions, account, and Alpaca's refusals. */
class TradingApiTest {
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
        assertThat(client.post("/sim/reset", null).status()).isEqualTo(200);
        advance(1); // a first minute traded, so every name has a price
    }

    private static JsonNode advance(int minutes) {
        SimClient.Answer a = client.post("/sim/advance", "{\"minutes\":" + minutes + "}");
        assertThat(a.status()).isEqualTo(200);
        return a.body();
    }

    private static SimClient.Answer order(String json) {
        return client.post("/v2/orders", json);
    }

    @Test
    void aMarketOrderFillsInTheNextMinuteAndShowsInPositionsAccountAndActivities() {
        SimClient.Answer placed = order("{\"symbol\":\"AAA\",\"qty\":\"10\",\"side\":\"buy\",\"type\":\"market\","
                + "\"time_in_force\":\"day\",\"client_order_id\":\"t-market-1\"}");
        assertThat(placed.status()).isEqualTo(200);
        JsonNode o = placed.body();
        assertThat(UUID.fromString(o.get("id").asText())).isNotNull();
        assertThat(o.get("client_order_id").asText()).isEqualTo("t-market-1");
        assertThat(o.get("status").asText()).isEqualTo("new");
        assertThat(o.get("qty").asText()).isEqualTo("10");
        assertThat(o.get("filled_qty").asText()).isEqualTo("0");
        assertThat(o.get("asset_class").asText()).isEqualTo("us_equity");

        advance(1); // the minute in progress: the order waits for the next minute's open
        assertThat(client.get("/v2/orders/" + o.get("id").asText()).body().get("status").asText()).isEqualTo("new");
        advance(1);
        JsonNode filled = client.get("/v2/orders:by_client_order_id?client_order_id=t-market-1").body();
        assertThat(filled.get("status").asText()).isEqualTo("filled");
        assertThat(filled.get("filled_qty").asText()).isEqualTo("10");
        BigDecimal price = new BigDecimal(filled.get("filled_avg_price").asText());

        JsonNode position = client.get("/v2/positions/AAA").body();
        assertThat(position.get("qty").asText()).isEqualTo("10");
        assertThat(position.get("side").asText()).isEqualTo("long");
        assertThat(new BigDecimal(position.get("avg_entry_price").asText())).isEqualByComparingTo(price);

        JsonNode account = client.get("/v2/account").body();
        BigDecimal cash = new BigDecimal(account.get("cash").asText());
        assertThat(cash).isEqualByComparingTo(new BigDecimal("100000").subtract(price.multiply(BigDecimal.TEN))
                .setScale(2, java.math.RoundingMode.HALF_EVEN));

        JsonNode fills = client.get("/v2/account/activities/FILL").body();
        assertThat(fills).hasSize(1);
        assertThat(fills.get(0).get("order_id").asText()).isEqualTo(o.get("id").asText());
        assertThat(fills.get(0).get("qty").asText()).isEqualTo("10");
        assertThat(fills.get(0).get("cum_qty").asText()).isEqualTo("10");
        assertThat(fills.get(0).get("leaves_qty").asText()).isEqualTo("0");
    }

    @Test
    void aMarketOrderPlacedAfterTheCloseFillsAtTheNextSessionsFirstMinute() {
        client.post("/sim/advance", "{\"to\":\"2024-03-04T22:00:00Z\"}"); // 17:00 New York
        JsonNode o = order("{\"symbol\":\"AAA\",\"qty\":\"3\",\"side\":\"buy\",\"type\":\"market\","
                + "\"time_in_force\":\"day\"}").body();
        assertThat(o.get("status").asText()).isEqualTo("new");
        client.post("/sim/advance", "{\"to\":\"2024-03-05T14:31:00Z\"}"); // the next session's first minute has ended
        JsonNode filled = client.get("/v2/orders/" + o.get("id").asText()).body();
        assertThat(filled.get("status").asText()).isEqualTo("filled");
        assertThat(filled.get("filled_at").asText()).isEqualTo("2024-03-05T14:31:00Z");
        JsonNode firstMinute = client.get("/v2/stocks/bars?symbols=AAA&timeframe=1Min&start=2024-03-05T14:30:00Z&limit=1")
                .body().get("bars").get("AAA").get(0);
        assertThat(new BigDecimal(filled.get("filled_avg_price").asText()).doubleValue())
                .isGreaterThanOrEqualTo(firstMinute.get("o").asDouble()) // the open, plus spread and slippage against the buyer
                .isLessThan(firstMinute.get("o").asDouble() * 1.002);
    }

    @Test
    void aClientOrderIdIsUniqueForeverEvenAfterCancel() {
        String body = "{\"symbol\":\"BBB\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"limit\",\"limit_price\":\"1.00\","
                + "\"time_in_force\":\"gtc\",\"client_order_id\":\"once\"}";
        SimClient.Answer first = order(body);
        assertThat(first.status()).isEqualTo(200);
        assertThat(client.send("DELETE", "/v2/orders/" + first.body().get("id").asText(), null).status()).isEqualTo(204);
        SimClient.Answer again = order(body);
        assertThat(again.status()).isEqualTo(422);
        assertThat(again.body().get("code").asInt()).isEqualTo(42210000);
        assertThat(again.body().get("message").asText()).isEqualTo("client_order_id must be unique");
        SimClient.Answer cancelAgain = client.send("DELETE", "/v2/orders/" + first.body().get("id").asText(), null);
        assertThat(cancelAgain.status()).isEqualTo(422);
        assertThat(cancelAgain.body().get("message").asText()).contains("canceled");
    }

    @Test
    void replaceReturnsANewOrderAndMarksTheOldOneReplaced() {
        JsonNode o = order("{\"symbol\":\"AAA\",\"qty\":\"5\",\"side\":\"buy\",\"type\":\"limit\",\"limit_price\":\"1.50\","
                + "\"time_in_force\":\"gtc\"}").body();
        SimClient.Answer r = client.send("PATCH", "/v2/orders/" + o.get("id").asText(),
                "{\"qty\":\"7\",\"limit_price\":\"1.75\",\"client_order_id\":\"replacement\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("id").asText()).isNotEqualTo(o.get("id").asText());
        assertThat(r.body().get("replaces").asText()).isEqualTo(o.get("id").asText());
        assertThat(r.body().get("qty").asText()).isEqualTo("7");
        assertThat(r.body().get("limit_price").asText()).isEqualTo("1.75");
        JsonNode old = client.get("/v2/orders/" + o.get("id").asText()).body();
        assertThat(old.get("status").asText()).isEqualTo("replaced");
        assertThat(old.get("replaced_by").asText()).isEqualTo(r.body().get("id").asText());
        JsonNode open = client.get("/v2/orders?status=open").body();
        assertThat(open).hasSize(1);
        assertThat(open.get(0).get("client_order_id").asText()).isEqualTo("replacement");
    }

    @Test
    void cancelAllAndCloseAllAnswer207WithAStatusPerItem() {
        order("{\"symbol\":\"AAA\",\"qty\":\"3\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}");
        order("{\"symbol\":\"BBB\",\"qty\":\"4\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}");
        advance(2);
        order("{\"symbol\":\"AAA\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"limit\",\"limit_price\":\"1\",\"time_in_force\":\"gtc\"}");
        SimClient.Answer canceled = client.send("DELETE", "/v2/orders", null);
        assertThat(canceled.status()).isEqualTo(207);
        assertThat(canceled.body()).hasSize(1);
        assertThat(canceled.body().get(0).get("status").asInt()).isEqualTo(200);
        SimClient.Answer closed = client.send("DELETE", "/v2/positions", null);
        assertThat(closed.status()).isEqualTo(207);
        List<String> symbols = new ArrayList<>();
        closed.body().forEach(item -> {
            symbols.add(item.get("symbol").asText());
            assertThat(item.get("status").asInt()).isEqualTo(200);
            assertThat(item.get("body").get("side").asText()).isEqualTo("sell");
        });
        assertThat(symbols).containsExactly("AAA", "BBB");
        advance(2);
        assertThat(client.get("/v2/positions").body()).isEmpty();
    }

    @Test
    void anOrderBeyondBuyingPowerIsForbiddenWithAlpacasCode() {
        SimClient.Answer a = order("{\"symbol\":\"AAA\",\"qty\":\"1000000\",\"side\":\"buy\",\"type\":\"market\","
                + "\"time_in_force\":\"day\"}");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body().get("code").asInt()).isEqualTo(40310000);
        assertThat(a.body().get("message").asText()).isEqualTo("insufficient buying power");
    }

    @Test
    void badInputGetsAlpacasStatusAndBodyNeverA500() {
        String[][] cases = {
                {"{\"symbol\":\"AAA\",", "400", "request body format is invalid"},
                {"null", "400", "request body format is invalid"},
                {"[1, 2]", "422", "body"},
                {"{\"symbol\":\"AAA\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\",\"colour\":\"red\"}",
                        "422", "colour"},
                {"{\"symbol\":\"AAA\",\"qty\":{\"a\":1},\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}",
                        "422", "qty"},
                {"{\"symbol\":\"AAA\",\"qty\":\"-1\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}",
                        "422", "qty must be > 0"},
                {"{\"symbol\":\"AAA\",\"qty\":\"1\",\"notional\":\"100\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}",
                        "422", "only one of qty or notional"},
                {"{\"symbol\":\"ZZZZ\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}",
                        "422", "asset \"ZZZZ\" not found"},
                {"{\"symbol\":\"AAA\",\"qty\":\"1\",\"side\":\"long\",\"type\":\"market\",\"time_in_force\":\"day\"}",
                        "422", "side"},
                {"{\"symbol\":\"AAA\",\"qty\":\"1.5\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"gtc\"}",
                        "422", "fractional orders must be DAY orders"},
                {"{\"symbol\":\"AAA\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"limit\",\"time_in_force\":\"day\"}",
                        "422", "limit_price is required"},
                {"{\"symbol\":\"AAA\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\",\"extended_hours\":true}",
                        "422", "extended hours"},
        };
        for (String[] c : cases) {
            SimClient.Answer a = order(c[0]);
            assertThat(a.status()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(a.body().get("code").asInt() / 100_000).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(a.body().get("message").asText()).as(c[0]).contains(c[2]);
        }
        SimClient.Answer unknown = client.get("/v2/orders/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("code").asInt()).isEqualTo(40410000);
        assertThat(client.get("/v2/positions/BBB").status()).isEqualTo(404);
        assertThat(client.get("/v2/nothing-here").status()).isEqualTo(404);
    }

    @Test
    void credentialsAreCheckedOnEveryRestCall() {
        SimClient none = new SimClient(server.baseUri(), null, null);
        SimClient.Answer a = none.get("/v2/account");
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.body().get("code").asInt()).isEqualTo(40110000);
        SimClient wrong = new SimClient(server.baseUri(), SimServerConfig.DEFAULT_KEY_ID, "not-the-secret");
        SimClient.Answer b = wrong.get("/v2/account");
        assertThat(b.status()).isEqualTo(403);
        assertThat(b.raw().body().length).isPositive();
        assertThat(new String(b.raw().body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("not-the-secret");
    }

    @Test
    void theClockFollowsTheCalendar() {
        JsonNode open = client.get("/v2/clock").body();
        assertThat(open.get("is_open").asBoolean()).isTrue();
        assertThat(open.get("timestamp").asText()).endsWith("-05:00");
        assertThat(open.get("next_close").asText()).isEqualTo("2024-03-04T16:00:00-05:00");
        client.post("/sim/advance", "{\"to\":\"2024-03-04T21:30:00Z\"}");
        JsonNode closed = client.get("/v2/clock").body();
        assertThat(closed.get("is_open").asBoolean()).isFalse();
        assertThat(closed.get("next_open").asText()).isEqualTo("2024-03-05T09:30:00-05:00");
        JsonNode calendar = client.get("/v2/calendar?start=2024-03-04&end=2024-03-10").body();
        assertThat(calendar).hasSize(5);
        assertThat(calendar.get(0).get("open").asText()).isEqualTo("09:30");
        assertThat(calendar.get(0).get("close").asText()).isEqualTo("16:00");
    }

    @Test
    void pastTheRateLimitRequestsGet429WithTheHeaders() {
        try (SimServer limited = SimFixture.server(SimServerConfig.defaults().withRequestsPerMinute(3))) {
            SimClient c = new SimClient(limited.baseUri(), SimServerConfig.DEFAULT_KEY_ID, SimServerConfig.DEFAULT_SECRET);
            for (int i = 0; i < 3; i++) {
                SimClient.Answer a = c.get("/v2/account");
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.header("X-RateLimit-Remaining")).isEqualTo(String.valueOf(2 - i));
            }
            SimClient.Answer refused = c.get("/v2/account");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body().get("code").asInt()).isEqualTo(42910000);
            assertThat(refused.header("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
            assertThat(Long.parseLong(refused.header("X-RateLimit-Reset"))).isGreaterThan(System.currentTimeMillis() / 1000);
        }
    }
}
