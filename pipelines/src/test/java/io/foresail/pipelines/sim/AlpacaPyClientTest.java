package io.foresail.pipelines.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpacasim.app.SimMain;
import io.foresail.alpacasim.Simulator;
import io.foresail.alpacasim.market.ReplayMarket;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.alpacasim.server.SimServerConfig;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.core.io.Json;
import io.foresail.core.market.Timeframe;
import io.foresail.core.progress.Progress;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SynthOutput;
import io.foresail.registry.python.PythonEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official Python SDK, alpaca-py (pinned in {@code work/venv-alpaca}), pointed at the
 * simulator with its URL overrides: account, market order and fill, replace and cancel, positions,
 * close all, bars over several short pages, and both streams (the data stream in MessagePack, as
 * the SDK speaks it). Proof that the simulator speaks Alpaca to Alpaca's own client.
 */
class AlpacaPyClientTest {
    @TempDir
    Path dir;

    @Test
    void theOfficialSdkRunsEndToEndAgainstTheSimulator() throws Exception {
        SynthOutput.write(dir.resolve("m"), SynthConfig.builder().symbols(4).seed(11).start(LocalDate.of(2024, 3, 1))
                .end(LocalDate.of(2024, 3, 8)).build(), 0, Progress.NONE);
        ReplayMarket market = SimMain.market(dir.resolve("m").resolve("bars"), 42);
        assertThat(market.storedTimeframe()).isEqualTo(Timeframe.MIN_15);
        List<String> names = new ArrayList<>(market.symbols());
        String symbol = names.get(0);
        String other = names.get(1);
        Simulator sim = new Simulator(market, ExecutionConfig.defaults(), Instant.parse("2024-03-04T14:30:00Z"), 0);
        // Short pages, so the SDK must follow next_page_token.
        try (SimServer server = SimServer.start(sim, SimServerConfig.defaults().withBarsPerPage(20))) {
            Path repo = Path.of(System.getProperty("foresail.repoRoot", ".."));
            PythonEnv env = PythonEnv.ensure(repo.resolve("work").resolve("venv-alpaca"), "foresail/python/alpaca-requirements.txt");
            Path script = PythonEnv.script("foresail/python/alpaca_py_client.py", dir.resolve("alpaca_py_client.py"));
            String[] lines = PythonEnv.exec(List.of(env.python().toString(), script.toString(), server.baseUri().toString(),
                    SimServerConfig.DEFAULT_KEY_ID, SimServerConfig.DEFAULT_SECRET, symbol, other), dir, 300).strip().split("\n");
            JsonNode out = Json.MAPPER.readTree(lines[lines.length - 1]);

            assertThat(Double.parseDouble(out.get("cash").asText())).isEqualTo(100_000.0);
            assertThat(out.get("placed_status").asText()).isEqualTo("new");
            assertThat(out.get("filled_status").asText()).isEqualTo("filled");
            assertThat(Double.parseDouble(out.get("filled_qty").asText())).isEqualTo(5.0);
            assertThat(out.get("replacement_replaces").asText()).isEqualTo(out.get("limit_id").asText());
            assertThat(out.get("old_status").asText()).isEqualTo("replaced");
            assertThat(out.get("replacement_status").asText()).isEqualTo("canceled");
            assertThat(out.get("open_after_cancel").asInt()).isZero();
            assertThat(Double.parseDouble(out.get("positions").get(symbol).asText())).isEqualTo(5.0);
            assertThat(out.get("close_all")).hasSize(1);
            assertThat(out.get("close_all").get(0).get("status").asInt()).isEqualTo(200);
            assertThat(out.get("positions_after_close").asInt()).isZero();

            // Bars: every 15-minute bar that had ended by then (Monday's open to 14:37 New York is none
            // of Monday's; Friday 1 March's 26 were before the start), over pages of 20.
            assertThat(out.get("rest_bars").get(symbol).asInt()).isEqualTo(26);
            assertThat(out.get("rest_bars").get(other).asInt()).isEqualTo(26);
            JsonNode first = out.get("rest_first").get(symbol);
            assertThat(Instant.parse(first.get("t").asText().replace("+00:00", "Z"))).isEqualTo(Instant.parse("2024-03-01T14:30:00Z"));
            assertThat(first.get("trades").asLong()).isPositive();

            // The data stream (MessagePack): one bar a minute for the subscribed symbol.
            JsonNode bars = out.get("stream_bars");
            assertThat(bars.size()).isGreaterThanOrEqualTo(3);
            bars.forEach(b -> assertThat(b.get("symbol").asText()).isEqualTo(symbol));
            assertThat(bars.get(0).get("t").asText()).startsWith("2024-03-04T14:30:00");

            // Trade updates: new and fill for the market order, then the replace and cancel, each once.
            List<String> events = new ArrayList<>();
            out.get("trade_events").forEach(e -> events.add(e.get("event").asText()));
            assertThat(events).startsWith("new", "fill").contains("replaced", "canceled");
            JsonNode fill = out.get("trade_events").get(1);
            assertThat(Double.parseDouble(fill.get("qty").asText())).isEqualTo(5.0);
            assertThat(fill.get("execution_id").asText()).isNotEmpty();
        }
    }
}
