package io.foresail.livetrader.state;

import io.foresail.alpaca.rest.AlpacaCredentials;
import io.foresail.alpacasim.SimFixture;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.alpacasim.server.SimServerConfig;
import io.foresail.livetrader.alpaca.AlpacaBroker;
import io.foresail.livetrader.alpaca.AlpacaEndpoints;
import io.foresail.livetrader.alpaca.AlpacaTradingClient;
import io.foresail.trading.broker.OrderRequest;
import io.foresail.trading.broker.Position;
import io.foresail.trading.broker.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker and the state store together across a crash: fills made while the trader is down are
 * recorded on the next start (from the state's last fill onwards), each once, and the positions the
 * fills add up to equal the broker's.
 */
class RestartReconciliationTest {
    @TempDir
    Path dir;

    private static final AlpacaCredentials KEYS = new AlpacaCredentials(SimServerConfig.DEFAULT_KEY_ID,
            SimServerConfig.DEFAULT_SECRET);

    private static void advance(SimServer server, int minutes) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.baseUri().resolve("/sim/advance"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"minutes\":" + minutes + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private AlpacaBroker broker(SimServer server, TraderState state) throws InterruptedException {
        AlpacaBroker b = new AlpacaBroker(AlpacaEndpoints.at(server.baseUri()), KEYS, new AlpacaBroker.Settings(
                new AlpacaTradingClient.Settings(Duration.ofSeconds(5), 5, Duration.ofMillis(20), Duration.ofSeconds(2)),
                4, Duration.ofSeconds(5), Duration.ofDays(1)), state.lastFillAt().orElse(null));
        b.knownExecutions(state::hasFill);
        b.onUpdate(u -> {
            if (u.fill() != null) {
                state.recordFill(u.fill());
            }
            state.recordOrder(u.order(), null);
        });
        b.start();
        await(b::streaming); // a connection stuck before listening is dropped and made again after 5 s
        return b;
    }

    private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        for (int i = 0; i < 1200 && !c.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        assertThat(c.getAsBoolean()).as("within 30 s").isTrue();
    }

    @Test
    void fillsMadeWhileTheTraderWasDownAreRecordedOnTheNextStartEachOnce() throws Exception {
        Path file = dir.resolve("trader.db");
        try (SimServer server = SimFixture.server(SimServerConfig.defaults())) {
            advance(server, 1);
            try (TraderState state = TraderState.open(file)) {
                AlpacaBroker first = broker(server, state);
                first.submit(OrderRequest.market("run1-AAA", "AAA", Side.BUY, 12));
                advance(server, 2);
                await(() -> state.count("fills") == 1);
                first.submit(OrderRequest.market("run1-BBB", "BBB", Side.BUY, 9));
                first.submit(OrderRequest.market("run1-SPY", "SPY", Side.BUY, 3));
                first.close(); // the trader dies with two orders in flight
            }
            advance(server, 3); // they fill while it is down
            try (TraderState state = TraderState.open(file);
                 AlpacaBroker second = broker(server, state)) {
                await(() -> state.count("fills") == 3);
                Map<String, Double> broker = new TreeMap<>();
                for (Position p : second.positions()) {
                    broker.put(p.symbol(), p.quantity());
                }
                assertThat(state.positionsFromFills()).isEqualTo(broker).containsEntry("BBB", 9.0);
                // The two missed fills; the one the store held is recognised without asking for its order.
                assertThat(second.counters().get("fills_recovered")).isEqualTo(2);
                assertThat(state.fills()).extracting(io.foresail.trading.broker.Fill::clientOrderId)
                        .containsExactlyInAnyOrder("run1-AAA", "run1-BBB", "run1-SPY");
            }
        }
    }

    @Test
    void anEarlierFillTheStreamNeverSentIsRecoveredThoughALaterOneWasRecorded() throws Exception {
        Path file = dir.resolve("trader.db");
        try (SimServer server = SimFixture.server(SimServerConfig.defaults())) {
            advance(server, 1);
            try (TraderState state = TraderState.open(file)) {
                AlpacaBroker first = broker(server, state);
                first.submit(OrderRequest.market("held-AAA", "AAA", Side.BUY, 5));
                advance(server, 2);
                await(() -> state.count("fills") == 1);
                first.submit(OrderRequest.market("held-BBB", "BBB", Side.BUY, 7));
                advance(server, 2);
                await(() -> state.count("fills") == 2);
                first.close();
            }
            // The earlier fill's update was held back and never arrived before the crash: only the
            // later one is in the store, so the last fill time is after the missing one.
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                 Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("DELETE FROM fills WHERE client_order_id = 'held-AAA'")).isEqualTo(1);
            }
            try (TraderState state = TraderState.open(file);
                 AlpacaBroker second = broker(server, state)) {
                await(() -> state.count("fills") == 2);
                Map<String, Double> broker = new TreeMap<>();
                for (Position p : second.positions()) {
                    broker.put(p.symbol(), p.quantity());
                }
                assertThat(state.positionsFromFills()).isEqualTo(broker).containsEntry("AAA", 5.0).containsEntry("BBB", 7.0);
                assertThat(second.counters().get("fills_recovered")).isEqualTo(1);
            }
        }
    }
}
