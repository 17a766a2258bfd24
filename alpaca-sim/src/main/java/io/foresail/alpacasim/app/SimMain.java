package io.foresail.alpacasim.app;

import io.foresail.alpacasim.Simulator;

import io.foresail.alpacasim.market.ReplayMarket;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.alpacasim.server.SimServerConfig;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Bar;
import io.foresail.core.market.TradingCalendar;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The simulator's process: reads a bar store, starts the server and runs until killed. Prints one
 * line {@code listening <base URL>} on stdout once it accepts connections (what
 * {@code ./foresail sim start} waits for). Credentials from {@code FORESAIL_SIM_KEY_ID} and
 * {@code FORESAIL_SIM_SECRET_KEY} (defaults: {@link SimServerConfig#DEFAULT_KEY_ID} and its secret:
 * a simulator guards nothing of value, but clients must still send keys, as they will to Alpaca).
 */
@Command(name = "alpaca-sim", mixinStandardHelpOptions = true,
        description = "Serve Alpaca's Trading and Market Data APIs and streams, replaying a bar store.")
public final class SimMain implements Callable<Integer> {
    @Option(names = "--bars", required = true, description = "Bar store to replay (intraday bars).")
    Path bars;
    @Option(names = "--from", description = "Market time to start at: a date (its session's open) or RFC 3339 (default: the store's first bar).")
    String from;
    @Option(names = "--speed", defaultValue = "60", description = "Market seconds per real second; 0 = stepped by POST /sim/advance (default ${DEFAULT-VALUE}).")
    double speed;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default ${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--port", defaultValue = "8765", description = "Port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;
    @Option(names = "--requests-per-minute", defaultValue = "200", description = "Rate limit per key (default ${DEFAULT-VALUE}, Alpaca's).")
    int requestsPerMinute;
    @Option(names = "--latency-ms", defaultValue = "0", description = "A network round trip added to every API answer, "
            + "milliseconds (default ${DEFAULT-VALUE}).")
    long latencyMillis;
    @Option(names = "--starting-cash", defaultValue = "100000", description = "Paper account's starting cash, dollars (default ${DEFAULT-VALUE}).")
    double startingCash;
    @Option(names = "--partial-fill-probability", defaultValue = "0.1", description = "Share of executions that fill only in part, seeded (default ${DEFAULT-VALUE}).")
    double partialFills;
    @Option(names = "--faults", description = "Fault file: a seed and faults to fire at market times (io.foresail.alpacasim.fault.FaultPlan).")
    Path faults;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of the minute paths and partial fills (default ${DEFAULT-VALUE}).")
    long seed;

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "foresail-sim-log4j2.xml");
        }
        int code = new CommandLine(new SimMain()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        }).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        TradingCalendar calendar = TradingCalendar.nyse();
        ReplayMarket market = market(bars, seed);
        Instant start = start(market, calendar);
        ExecutionConfig execution = new ExecutionConfig("next_open", startingCash, null, null, null, null, null, null, null,
                new ExecutionConfig.PartialFills(partialFills, seed));
        Simulator sim = new Simulator(market, execution, start, speed);
        String key = System.getenv().getOrDefault("FORESAIL_SIM_KEY_ID", SimServerConfig.DEFAULT_KEY_ID);
        String secret = System.getenv().getOrDefault("FORESAIL_SIM_SECRET_KEY", SimServerConfig.DEFAULT_SECRET);
        io.foresail.alpacasim.fault.FaultPlan plan = faults == null ? io.foresail.alpacasim.fault.FaultPlan.none()
                : io.foresail.alpacasim.fault.FaultPlan.load(faults);
        SimServer server = SimServer.start(sim, new SimServerConfig(host, port, key, secret, requestsPerMinute, 10_000,
                java.time.Duration.ofMillis(latencyMillis)), plan);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "alpaca-sim-shutdown"));
        System.out.println("listening " + server.baseUri());
        System.out.flush();
        new CountDownLatch(1).await(); // until the process is stopped
        return 0;
    }

    /** The market of a bar store on the NYSE calendar, its minute paths seeded with {@code seed}. */
    public static ReplayMarket market(Path bars, long seed) {
        BarStore store = BarStore.open(bars);
        TradingCalendar calendar = TradingCalendar.nyse();
        Map<String, List<Bar>> series = new LinkedHashMap<>();
        for (BarSeries s : store.readAll()) {
            List<Bar> list = new ArrayList<>(s.size());
            for (int i = 0; i < s.size(); i++) {
                list.add(s.bar(i));
            }
            series.put(s.symbol(), list);
        }
        return new ReplayMarket(series, store.timeframe(), calendar, seed);
    }

    private Instant start(ReplayMarket market, TradingCalendar calendar) {
        if (from == null) {
            return market.first();
        }
        try {
            return OffsetDateTime.parse(from).toInstant();
        } catch (DateTimeParseException e) {
            try {
                LocalDate d = LocalDate.parse(from);
                return calendar.session(d).orElseThrow(() -> new InvalidInputException(
                        "--from " + from + " is not a trading day; pick a session date or an RFC 3339 time")).open();
            } catch (DateTimeParseException e2) {
                throw new InvalidInputException("--from '" + from + "' is neither a date (yyyy-MM-dd) nor RFC 3339");
            }
        }
    }
}
