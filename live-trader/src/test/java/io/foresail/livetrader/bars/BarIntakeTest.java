package io.foresail.livetrader.bars;

import io.foresail.alpaca.rest.AlpacaCredentials;

import io.foresail.alpacasim.SimFixture;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.alpacasim.server.SimServerConfig;
import io.foresail.core.market.Bar;
import io.foresail.core.market.Timeframe;
import io.foresail.alpaca.rest.AlpacaBarsClient;
import io.foresail.livetrader.alpaca.AlpacaEndpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Live 15-minute bars from the simulator's minute stream equal the bars API's, through stalls, drops and 406s. */
class BarIntakeTest {
    private static final List<String> SYMBOLS = List.of("AAA", "BBB", "SPY");
    private static final AlpacaCredentials KEYS = new AlpacaCredentials(SimServerConfig.DEFAULT_KEY_ID,
            SimServerConfig.DEFAULT_SECRET);
    private SimServer server;
    private BarIntake intake;
    private AlpacaBarsClient data;
    private final List<BarIntake.Slot> slots = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = SimFixture.server(SimServerConfig.defaults());
        data = AlpacaBarsClient.builder(KEYS).baseUrl(server.baseUri().toString()).build();
        intake = new BarIntake(SimFixture.NYSE.grid(Timeframe.MIN_15), SYMBOLS, data, "iex", slots::add)
                .start(AlpacaEndpoints.at(server.baseUri()), KEYS, Duration.ofMillis(1500));
        await(intake::subscribed);
    }

    @AfterEach
    void stop() {
        intake.close();
        server.close();
    }

    private void control(String path, String json) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.baseUri().resolve(path))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void advance(int minutes) throws InterruptedException {
        for (int i = 0; i < minutes; i++) {
            control("/sim/advance", "{\"minutes\":1}");
        }
        Thread.sleep(100); // let the stream deliver
    }

    private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        for (int i = 0; i < 600 && !c.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        assertThat(c.getAsBoolean()).as("within 15 s").isTrue();
    }

    /** Every slot handed over equals the bars API's bar for it, symbol by symbol. */
    private void assertSlotsEqualTheBarsApi(int expectedSlots) {
        Instant from = slots.get(0).start();
        Instant to = slots.get(slots.size() - 1).start();
        Map<String, List<Bar>> rest = data.fetchAll(SYMBOLS, Timeframe.MIN_15, from, to, "iex", "raw");
        assertThat(slots).hasSize(expectedSlots);
        for (int k = 0; k < slots.size(); k++) {
            BarIntake.Slot slot = slots.get(k);
            for (String s : SYMBOLS) {
                Bar expected = rest.get(s).get(k);
                Bar live = slot.bars().get(s);
                assertThat(live).as(slot.start() + " " + s).isNotNull();
                assertThat(live.start()).isEqualTo(expected.start());
                assertThat(live.open()).isEqualTo(expected.open());
                assertThat(live.high()).isEqualTo(expected.high());
                assertThat(live.low()).isEqualTo(expected.low());
                assertThat(live.close()).isEqualTo(expected.close());
                assertThat(live.volume()).isEqualTo(expected.volume());
                assertThat(live.tradeCount()).isEqualTo(expected.tradeCount());
                assertThat(live.vwap()).isCloseTo(expected.vwap(), within(1e-9 * expected.vwap()));
            }
        }
    }

    @Test
    void liveBarsEqualTheBarsApiOnAQuietConnection() throws Exception {
        advance(60);
        await(() -> slots.size() == 4);
        assertSlotsEqualTheBarsApi(4);
        assertThat(slots).noneMatch(BarIntake.Slot::backfilled);
        assertThat(intake.counters().get("late_minutes")).isZero();
    }

    @Test
    void aStallADropAnd406sLeaveNoWrongBarBehind() throws Exception {
        advance(20);
        control("/sim/faults", "{\"kind\":\"stream_stall\",\"stream\":\"market_data\",\"seconds\":0.5}");
        control("/sim/advance", "{\"minutes\":7}"); // these minutes are lost
        Thread.sleep(600);
        advance(10);
        control("/sim/faults", "{\"kind\":\"stream_drop\",\"stream\":\"market_data\",\"mode\":\"reset\"}");
        control("/sim/faults", "{\"kind\":\"reconnect_406\",\"seconds\":1.0}");
        Thread.sleep(100);
        control("/sim/advance", "{\"minutes\":5}"); // while disconnected
        await(intake::subscribed);
        advance(48); // to 11:00 New York: 6 bars
        await(() -> slots.size() == 6);
        assertSlotsEqualTheBarsApi(6);
        Map<String, Long> c = intake.counters();
        assertThat(c.get("backfilled_slots")).isPositive();
        assertThat(c.get("gaps")).isGreaterThanOrEqualTo(2);
        assertThat(c.get("connection_limit_406")).isPositive();
        assertThat(slots).anyMatch(s -> !s.backfilled());
    }

    @Test
    void aBarWhoseTimeHasPassedIsHandedOverByTheClock() throws Exception {
        advance(14);
        assertThat(slots).isEmpty();
        control("/sim/advance", "{\"minutes\":1}");
        Thread.sleep(200);
        // Every symbol's last minute of the bar arrived: handed over without waiting for the next minute.
        await(() -> slots.size() == 1);
        assertThat(slots.get(0).start()).isEqualTo(Instant.parse("2024-03-04T14:30:00Z"));
        advance(14); // 14:45 .. 14:58 have ended; 14:59 has not
        assertThat(slots).hasSize(1);
        intake.closeDue(Instant.parse("2024-03-04T14:59:00Z"));
        assertThat(slots).as("not before the bar's end").hasSize(1);
        intake.closeDue(Instant.parse("2024-03-04T15:00:00Z"));
        await(() -> slots.size() == 2);
        assertThat(slots.get(1).start()).isEqualTo(Instant.parse("2024-03-04T14:45:00Z"));
        assertThat(slots.get(1).bars()).as("a bar handed over short of its last minute").hasSize(3);
    }

    @Test
    void aConnectionThatGoesSilentInSessionIsMadeAgainOncePerSilence() throws Exception {
        advance(5);
        Instant now = server.simulator().clock().now();
        Thread.sleep(300);
        assertThat(intake.reconnectIfSilent(now, Duration.ofMinutes(3), Duration.ofMillis(200))).as("minutes are flowing")
                .isFalse();
        control("/sim/faults", "{\"kind\":\"stream_stall\",\"stream\":\"market_data\",\"seconds\":1.0}");
        control("/sim/advance", "{\"minutes\":6}"); // lost on the open, silent connection
        now = server.simulator().clock().now();
        assertThat(intake.reconnectIfSilent(now, Duration.ofMinutes(3), Duration.ofSeconds(5)))
                .as("the venue's clock ran ahead, but not the wall's").isFalse();
        Thread.sleep(300);
        assertThat(intake.reconnectIfSilent(now, Duration.ofMinutes(3), Duration.ofMillis(200))).isTrue();
        assertThat(intake.reconnectIfSilent(now, Duration.ofMinutes(3), Duration.ofMillis(200))).as("once per silence")
                .isFalse();
        Thread.sleep(800); // the stall ends
        await(intake::subscribed);
        advance(34); // to 15:15: three bars
        await(() -> slots.size() == 3);
        assertSlotsEqualTheBarsApi(3);
        assertThat(intake.counters()).containsEntry("silent_stream_reconnects", 1L);
        assertThat(intake.counters().get("reconnects")).isPositive();
    }
}
