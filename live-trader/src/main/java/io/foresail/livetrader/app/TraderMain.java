package io.foresail.livetrader.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpaca.rest.AlpacaCredentials;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.io.Json;
import io.foresail.livetrader.alpaca.AlpacaEndpoints;
import io.foresail.livetrader.alpaca.AlpacaTradingClient;
import io.foresail.livetrader.service.Trader;
import io.foresail.livetrader.service.TraderConfig;
import io.foresail.livetrader.state.TraderState;
import io.foresail.registry.ModelCache;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The trader's own JVM (no Spark): {@code run} starts the service, {@code kill}, {@code resume}
 * and {@code status} act on the trader of a state directory (over its HTTP endpoint when it runs,
 * on its state file otherwise). {@code ./foresail trade} and {@code ./foresail trader} launch it.
 */
@Command(name = "trader", mixinStandardHelpOptions = true, subcommands = {TraderMain.Run.class, TraderMain.Kill.class,
        TraderMain.Resume.class, TraderMain.Status.class},
        description = "The Foresail trader: the champion's scores, the decision path, Alpaca orders.")
public final class TraderMain {
    /** The simulator's default keys (it checks keys as Alpaca does, and guards nothing of value). */
    static final String SIM_KEY_ID = "FORESAIL-SIM-KEY";
    static final String SIM_SECRET = "foresail-sim-secret";

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line: bad input (a refused mode, a missing reason) prints one line and exits 2. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TraderMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof InvalidInputException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    /** Options every subcommand shares: the configuration and the state directory. */
    static class Common {
        @Option(names = "--config", description = "Trader configuration (default: the embedded config/trader.yaml).")
        Path config;

        @Option(names = "--state-dir", description = "State directory (default: the configuration's state_dir, under "
                + "the Foresail home).")
        Path stateDir;

        TraderConfig load() {
            return TraderConfig.loadOrDefault(config);
        }

        Path stateDir(TraderConfig c) {
            if (stateDir != null) {
                return stateDir;
            }
            Path p = Path.of(c.stateDir());
            return p.isAbsolute() ? p : Path.of(System.getProperty("foresail.home", ".")).resolve(p);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Runs the trader until SIGTERM or Ctrl-C.")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--paper", description = "Alpaca's paper trading (keys from APCA_API_KEY_ID/APCA_API_SECRET_KEY or alpaca.key_file).")
        boolean paper;

        @Option(names = "--live", description = "Real money. Refused unless the configuration has live.enabled: true and --i-mean-real-money is given.")
        boolean live;

        @Option(names = "--i-mean-real-money", description = "The confirmation --live needs.")
        boolean confirmed;

        @Option(names = "--dry-run", description = "Decide and record, send nothing.")
        boolean dryRun;

        @Option(names = "--sim-url", description = "The simulator's base URL (sim mode; ./foresail trade starts one and passes it).")
        URI simUrl;

        @Option(names = "--mlflow", description = "MLflow tracking URI (default: MLFLOW_TRACKING_URI, else the configuration's).")
        URI mlflow;

        @Option(names = "--http-port", description = "Port of the local HTTP endpoints (default: the configuration's; 0 = any).")
        Integer httpPort;

        @Override
        public Integer call() throws Exception {
            // Before any model loads: bar-sized batches on one PyTorch thread each (no OpenMP team to wake).
            io.foresail.models.sequence.SequenceNetModel.servingThreads(1);
            TraderConfig c = common.load();
            TraderConfig.Mode mode = live ? TraderConfig.Mode.LIVE : paper ? TraderConfig.Mode.PAPER : c.venue();
            if (live && paper) {
                throw new InvalidInputException("--paper and --live exclude each other");
            }
            if (mode == TraderConfig.Mode.LIVE && !(c.live().enabled() && confirmed)) {
                throw new InvalidInputException("live trading (real money) is refused: it needs live: {enabled: true} in "
                        + "the configuration AND --i-mean-real-money on the command line"
                        + (c.live().enabled() ? "" : " (the configuration does not enable it)")
                        + (confirmed ? "" : " (the flag was not given)"));
            }
            c = new TraderConfig(mode.name().toLowerCase(java.util.Locale.ROOT), dryRun || c.dryRun(), c.live(),
                    c.model(), c.mlflow(), c.alpaca(), c.stateDir(), c.decisionOnDisk(),
                    httpPort == null ? c.http() : new TraderConfig.Http(c.http().host(), httpPort), c.bars(), c.guards(),
                    c.strategy());
            AlpacaEndpoints endpoints = endpoints(c, mode);
            AlpacaCredentials keys = switch (mode) {
                case SIM -> new AlpacaCredentials(System.getenv().getOrDefault("FORESAIL_SIM_KEY_ID", SIM_KEY_ID),
                        System.getenv().getOrDefault("FORESAIL_SIM_SECRET_KEY", SIM_SECRET));
                case PAPER, LIVE -> c.alpaca().keyFile() != null ? AlpacaCredentials.fromFile(Path.of(c.alpaca().keyFile()))
                        : AlpacaCredentials.fromEnvironment();
            };
            if (mode == TraderConfig.Mode.LIVE) {
                System.err.println("""
                        ################################################################
                        #  LIVE TRADING: REAL MONEY. Orders go to %s
                        #  Kill switch: ./foresail trader kill   (or POST /kill)
                        ################################################################""".formatted(endpoints.trading()));
            }
            java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
            if (mlflow != null) {
                env.put("MLFLOW_TRACKING_URI", mlflow.toString()); // credentials still from the environment
            }
            MlflowEndpoint tracking = MlflowEndpoint.fromEnvironment(env, URI.create(c.mlflow().uri()));
            Path stateDir = common.stateDir(c);
            Files.createDirectories(stateDir);
            MlflowModelRegistry registry = new MlflowModelRegistry(MlflowClient.of(tracking),
                    new ModelCache(stateDir.resolve("model-cache")));
            Supplier<Instant> clock = mode == TraderConfig.Mode.SIM ? venueClock(endpoints, keys) : Instant::now;
            Trader trader = new Trader(new Trader.Wiring(c, endpoints, keys, registry, stateDir, clock, null));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                trader.close();
                System.out.println("trader stopped"); // stdout: the logging system may have shut down already
                System.out.flush();
                stopped.countDown();
            }, "trader-shutdown"));
            trader.start();
            System.out.println("trader running: mode " + c.venue().name().toLowerCase(java.util.Locale.ROOT)
                    + (c.dryRun() ? " (dry run)" : "") + ", http " + trader.httpUri() + ", state " + stateDir);
            System.out.flush();
            stopped.await();
            return 0;
        }

        private AlpacaEndpoints endpoints(TraderConfig c, TraderConfig.Mode mode) {
            AlpacaEndpoints base = switch (mode) {
                case SIM -> {
                    if (simUrl == null && c.alpaca().tradingUrl() == null) {
                        throw new InvalidInputException("sim mode needs the simulator's URL (--sim-url; ./foresail trade "
                                + "starts a simulator and passes it)");
                    }
                    yield AlpacaEndpoints.at(simUrl != null ? simUrl : URI.create(c.alpaca().tradingUrl()));
                }
                case PAPER -> AlpacaEndpoints.paper();
                case LIVE -> AlpacaEndpoints.live();
            };
            TraderConfig.Alpaca a = c.alpaca();
            return new AlpacaEndpoints(a.tradingUrl() != null && simUrl == null ? URI.create(a.tradingUrl()) : base.trading(),
                    a.dataUrl() != null ? URI.create(a.dataUrl()) : base.data(),
                    a.tradeUpdatesUrl() != null ? URI.create(a.tradeUpdatesUrl()) : base.tradeUpdates(),
                    a.marketDataUrl() != null ? URI.create(a.marketDataUrl()) : base.marketData());
        }
    }

    /** The simulator's clock ({@code GET /v2/clock}), which may run faster than the wall's. */
    static Supplier<Instant> venueClock(AlpacaEndpoints endpoints, AlpacaCredentials keys) {
        AlpacaTradingClient client = new AlpacaTradingClient(endpoints.trading(), keys, AlpacaTradingClient.Settings.defaults());
        return () -> client.clock().timestamp().toInstant();
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "Engages the kill switch: no new orders, open "
            + "orders cancelled; --flatten also closes positions at the next bar close.")
    static final class Kill implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--flatten", description = "Close every position too.")
        boolean flatten;

        @Option(names = "--reason", defaultValue = "operator", description = "Why (recorded).")
        String reason;

        @Override
        public Integer call() throws Exception {
            TraderConfig c = common.load();
            Path dir = common.stateDir(c);
            String mode = flatten ? "FLATTEN" : "HALT";
            String who = "cli:" + System.getProperty("user.name", "?");
            Optional<URI> running = running(dir);
            if (running.isPresent()) {
                String body = post(running.get(), "/kill?mode=" + mode.toLowerCase(java.util.Locale.ROOT) + "&reason="
                        + enc(reason) + "&by=" + enc(who));
                System.out.println("kill switch " + mode + " engaged on the running trader: " + body);
            } else {
                try (TraderState state = TraderState.open(dir.resolve("trader.db"))) {
                    state.recordKillSwitch(new TraderState.KillSwitchEvent(Instant.now(), mode, who, reason));
                }
                System.out.println("no trader runs on " + dir + "; kill switch " + mode + " recorded: the next start "
                        + "comes up halted");
            }
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Releases the kill switch (a reason is required).")
    static final class Resume implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--reason", required = true, description = "Why trading may go on (recorded).")
        String reason;

        @Override
        public Integer call() throws Exception {
            TraderConfig c = common.load();
            Path dir = common.stateDir(c);
            String who = "cli:" + System.getProperty("user.name", "?");
            Files.deleteIfExists(dir.resolve("KILL"));
            Optional<URI> running = running(dir);
            if (running.isPresent()) {
                System.out.println("kill switch released on the running trader: "
                        + post(running.get(), "/resume?reason=" + enc(reason) + "&by=" + enc(who)));
            } else {
                try (TraderState state = TraderState.open(dir.resolve("trader.db"))) {
                    state.recordKillSwitch(new TraderState.KillSwitchEvent(Instant.now(), "OFF", who, reason));
                }
                System.out.println("no trader runs on " + dir + "; kill switch release recorded");
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Prints the running trader's /status.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() throws Exception {
            TraderConfig c = common.load();
            Path dir = common.stateDir(c);
            Optional<URI> running = running(dir);
            if (running.isEmpty()) {
                System.out.println("no trader runs on " + dir);
                return 1;
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(running.get().resolve("/status"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println(Json.PRETTY.writeValueAsString(Json.MAPPER.readTree(r.body())));
            return 0;
        }
    }

    /** The HTTP endpoint of the trader running on {@code dir}, if one does (its process file, its pid alive). */
    static Optional<URI> running(Path dir) throws IOException {
        Path f = dir.resolve("trader.json");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        JsonNode me = Json.MAPPER.readTree(f.toFile());
        boolean alive = ProcessHandle.of(me.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(URI.create(me.path("http").asText())) : Optional.empty();
    }

    private static String post(URI base, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new InvalidInputException("the trader answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
