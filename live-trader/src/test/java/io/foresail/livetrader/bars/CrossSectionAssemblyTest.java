package io.foresail.livetrader.bars;

import io.foresail.alpaca.rest.AlpacaBarsClient;
import io.foresail.alpaca.rest.AlpacaCredentials;
import io.foresail.alpacasim.SimFixture;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.alpacasim.server.SimServerConfig;
import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How one cross-section per bar is assembled from minutes, path by path: a symbol without minutes
 * is read back over REST before the hand-over; a symbol the bars API has no bar for either (a
 * halt) is handed over absent; a minute arriving after its bar was handed over is reported, never
 * folded in; a repeated minute counts once; a minute of a symbol outside the universe is ignored.
 * The minutes are fed to the intake directly; the simulator answers the REST read-backs, and
 * serves a bar only once its clock has passed the bar's end.
 */
class CrossSectionAssemblyTest {
    private static final List<String> SYMBOLS = List.of("AAA", "BBB", "SPY");
    private static final AlpacaCredentials KEYS = new AlpacaCredentials(SimServerConfig.DEFAULT_KEY_ID,
            SimServerConfig.DEFAULT_SECRET);
    private static final BarGrid GRID = SimFixture.NYSE.grid(Timeframe.MIN_15);
    private static final Instant OPEN = SimFixture.MONDAY_OPEN;

    private SimServer server;
    private AlpacaBarsClient data;
    private final List<BarIntake.Slot> slots = new ArrayList<>();
    private final List<BarIntake.Late> late = new ArrayList<>();
    private BarIntake intake;

    @BeforeEach
    void start() {
        server = SimFixture.server(SimServerConfig.defaults());
        data = AlpacaBarsClient.builder(KEYS).baseUrl(server.baseUri().toString()).build();
        intake = new BarIntake(GRID, SYMBOLS, data, "iex", slots::add).onLate(late::add);
    }

    @AfterEach
    void stop() {
        intake.close();
        server.close();
    }

    private static Bar minute(String symbol, Instant at, double price, double volume) {
        return new Bar(symbol, at, price, price + 0.1, price - 0.1, price + 0.05, volume, price, 10);
    }

    /** Minutes {@code from..to-1} of the first bar for {@code symbol}. */
    private void feed(String symbol, int from, int to, double price) {
        for (int m = from; m < to; m++) {
            intake.onMinute(minute(symbol, OPEN.plusSeconds(60L * m), price + m, 100));
        }
    }

    private void advanceSimTo(Instant t) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.baseUri().resolve("/sim/advance"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"" + t + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private Bar restBar(String symbol, Instant start) {
        return data.fetchAll(List.of(symbol), Timeframe.MIN_15, start, start, "iex", "raw").get(symbol).get(0);
    }

    @Test
    void aSymbolWithoutMinutesIsReadBackOverRestBeforeTheHandOver() throws Exception {
        advanceSimTo(OPEN.plusSeconds(16 * 60)); // the bars API has the first bar now
        feed("AAA", 0, 15, 50);
        feed("SPY", 0, 15, 400);
        assertThat(slots).as("BBB's minutes have not come: the bar waits").isEmpty();
        intake.onMinute(minute("AAA", OPEN.plusSeconds(15 * 60), 70, 100)); // a minute of the next bar

        assertThat(slots).hasSize(1);
        BarIntake.Slot s = slots.get(0);
        assertThat(s.start()).isEqualTo(OPEN);
        assertThat(s.bars()).containsOnlyKeys("AAA", "BBB", "SPY");
        assertThat(s.bars().get("BBB")).as("BBB from the bars API").isEqualTo(restBar("BBB", OPEN));
        assertThat(s.bars().get("AAA").volume()).as("AAA from its minutes").isEqualTo(1500);
        assertThat(intake.counters()).containsEntry("backfilled_symbols", 1L).containsEntry("backfilled_slots", 0L);
    }

    @Test
    void aSymbolTheBarsApiHasNoBarForIsAbsentAndItsLateMinuteIsReportedNotFoldedIn() {
        // The simulator's clock stays at the open: it has no bar for BBB (as for a halted name).
        feed("AAA", 0, 15, 50);
        feed("SPY", 0, 15, 400);
        intake.closeDue(OPEN.plusSeconds(15 * 60));
        assertThat(slots).hasSize(1);
        assertThat(slots.get(0).bars()).containsOnlyKeys("AAA", "SPY");

        intake.onMinute(minute("BBB", OPEN.plusSeconds(5 * 60), 60, 100));
        assertThat(late).containsExactly(new BarIntake.Late("BBB", OPEN, OPEN.plusSeconds(5 * 60)));
        assertThat(slots).as("nothing handed over again").hasSize(1);
        assertThat(intake.counters()).containsEntry("late_minutes", 1L);
    }

    @Test
    void aRepeatedMinuteCountsOnceAndAnUnknownSymbolIsIgnored() {
        feed("AAA", 0, 15, 50);
        intake.onMinute(minute("AAA", OPEN.plusSeconds(3 * 60), 53, 100)); // repeated after a reconnection
        intake.onMinute(minute("QQQ", OPEN.plusSeconds(3 * 60), 300, 100)); // not in the universe
        feed("BBB", 0, 15, 60);
        feed("SPY", 0, 15, 400);

        assertThat(slots).as("every symbol's last minute came: handed over at once").hasSize(1);
        Bar aaa = slots.get(0).bars().get("AAA");
        assertThat(aaa.volume()).isEqualTo(1500);
        assertThat(aaa.open()).isEqualTo(50);
        assertThat(aaa.close()).isEqualTo(64.05);
        assertThat(slots.get(0).bars()).containsOnlyKeys("AAA", "BBB", "SPY");
        assertThat(intake.counters()).containsEntry("duplicate_minutes", 1L).containsEntry("unknown_symbol_minutes", 1L)
                .containsEntry("backfilled_symbols", 0L);
    }

    @Test
    void minutesOutOfOrderWithinTheirBarSetOpenAndCloseByTime() {
        feed("SPY", 0, 1, 400); // the stream starts with the bar's first minute (else the bar is read back whole)
        feed("AAA", 1, 14, 50);
        intake.onMinute(minute("AAA", OPEN, 40, 100)); // the bar's first minute, delivered late but in time
        intake.onMinute(minute("AAA", OPEN.plusSeconds(14 * 60), 70, 100));
        feed("BBB", 0, 15, 60);
        feed("SPY", 1, 15, 400);
        assertThat(slots).hasSize(1);
        assertThat(slots.get(0).backfilled()).isFalse();
        Bar aaa = slots.get(0).bars().get("AAA");
        assertThat(aaa.open()).isEqualTo(40);
        assertThat(aaa.close()).isEqualTo(70.05);
        assertThat(aaa.low()).isEqualTo(39.9);
    }
}
