package io.foresail.pipelines.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.core.io.Json;
import io.foresail.pipelines.trader.StateFile;
import io.foresail.pipelines.trader.Testbed;
import io.foresail.pipelines.trader.TraderJvm;
import io.foresail.registry.ModelVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code foresail bench trader}: the trader in its own JVM against the in-process simulator, 50
 * equities with five years of 15-minute history, the default feature set, a gradient-boosted
 * champion. Figures: start to ready (cold, and after a kill -9: JVM start, model, warm-up over the
 * bars API, reconciliation); bar close to every order submitted over a traded month, p50/p99 with
 * and without the broker's round trips (the trader measures both); the trader's resident memory
 * session by session over that month.
 */
public final class TraderBenchmark {
    private final int symbols;
    private final int historySessions;
    private final int sessions;
    private final long seed;
    private final Path work;
    private final URI mlflow;
    private final Path home;

    public TraderBenchmark(int symbols, int historySessions, int sessions, long seed, Path work, URI mlflow, Path home) {
        this.symbols = symbols;
        this.historySessions = historySessions;
        this.sessions = sessions;
        this.seed = seed;
        this.work = work;
        this.mlflow = mlflow;
        this.home = home;
    }

    public void run(PrintWriter out) throws Exception {
        long t0 = System.nanoTime();
        LocalDate firstDay = LocalDate.of(2019, 1, 2);
        try (Testbed bed = Testbed.create(symbols, firstDay, historySessions, sessions, seed, work, mlflow)) {
            out.printf(Locale.ROOT, "machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            out.printf(Locale.ROOT, "market: %d equities + benchmark, %d sessions of history, %d traded (from %s), "
                            + "generated in %.1f s%n", symbols, historySessions, sessions, bed.grid().start(bed.firstBar()),
                    (System.nanoTime() - t0) / 1e9);
            String modelName = "bench-trader-s" + seed;
            List<ModelVersion> v = bed.publishChampions(modelName, defaultSpec(), 1, seed, true);
            out.println("champion: " + v.get(0).name() + "/" + v.get(0).version() + " (XGBoost, 50 rounds, the default "
                    + "feature set's columns)");
            out.flush();
            Path config = bed.writeConfig(modelName, 10, 3000);
            Path state = work.resolve("state");
            Testbed.deleteTree(state);
            Path log = work.resolve("trader.log");

            long s0 = System.nanoTime();
            TraderJvm trader = TraderJvm.start(home, bed.traderArgs(config, state, mlflow), bed.traderEnv(), state, log,
                    Duration.ofMinutes(5));
            double cold = (System.nanoTime() - s0) / 1e9;
            trader.kill9();
            s0 = System.nanoTime();
            trader = TraderJvm.start(home, bed.traderArgs(config, state, mlflow), bed.traderEnv(), state, log,
                    Duration.ofMinutes(5));
            double restart = (System.nanoTime() - s0) / 1e9;
            out.printf(Locale.ROOT, "start_to_ready_cold_s: %.2f%n", cold);
            out.printf(Locale.ROOT, "restart_to_ready_after_kill9_s: %.2f   (JVM, model from the cache, warm-up of 3000 bars "
                    + "x %d symbols over REST, reconciliation)%n", restart, symbols + 1);
            out.flush();

            StateFile file = new StateFile(state);
            List<Long> rss = new ArrayList<>();
            List<Long> live = new ArrayList<>();
            rss.add(trader.residentBytes());
            int undecided = 0;
            int bars = bed.lastBar() - bed.firstBar() + 1;
            String day = null;
            for (int g = bed.firstBar(); g <= bed.lastBar(); g++) {
                if (!bed.playBar(g, file, Duration.ofSeconds(30))) {
                    undecided++;
                }
                String d = bed.grid().start(g).atZone(java.time.ZoneId.of("America/New_York")).toLocalDate().toString();
                if (day != null && !d.equals(day)) {
                    rss.add(trader.residentBytes());
                    live.add(trader.liveHeapBytes());
                }
                day = d;
            }
            rss.add(trader.residentBytes());
            live.add(trader.liveHeapBytes());
            JsonNode status = Json.MAPPER.readTree(trader.get("/status").body());
            JsonNode lat = status.path("decision_latency_ms");
            long orders = status.path("orders_sent").asLong();
            trader.stop();

            out.printf(Locale.ROOT, "bars_traded: %d (undecided %d), orders_sent: %d%n", bars, undecided, orders);
            out.printf(Locale.ROOT, "bar_to_orders_p50_ms: %.2f%n", lat.path("p50").asDouble());
            out.printf(Locale.ROOT, "bar_to_orders_p99_ms: %.2f%n", lat.path("p99").asDouble());
            out.printf(Locale.ROOT, "bar_to_orders_p50_ms_excluding_broker: %.2f%n", lat.path("p50_excluding_broker").asDouble());
            out.printf(Locale.ROOT, "bar_to_orders_p99_ms_excluding_broker: %.2f%n", lat.path("p99_excluding_broker").asDouble());
            out.printf(Locale.ROOT, "after the first session (JIT warm-up): p50 %.2f ms, p99 %.2f ms; excluding the broker "
                            + "p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", lat.path("p50_after_warmup").asDouble(),
                    lat.path("p99_after_warmup").asDouble(), lat.path("p50_excluding_broker_after_warmup").asDouble(),
                    lat.path("p99_excluding_broker_after_warmup").asDouble(),
                    lat.path("max_excluding_broker_after_warmup").asDouble());
            long firstSession = rss.get(Math.min(1, rss.size() - 1));
            long max = rss.stream().mapToLong(Long::longValue).max().orElse(-1);
            long lastRss = rss.get(rss.size() - 1);
            out.printf(Locale.ROOT, "rss_mb_by_session: %s%n", rss.stream().map(b -> String.valueOf(b >> 20)).toList());
            out.printf(Locale.ROOT, "rss_growth_first_to_last_session_pct: %.1f  (max %d MB)%n",
                    100.0 * (lastRss - firstSession) / firstSession, max >> 20);
            out.printf(Locale.ROOT, "live_heap_mb_after_full_gc_by_session: %s%n",
                    live.stream().map(b -> String.format(Locale.ROOT, "%.1f", b / 1048576.0)).toList());
            if (live.size() > 2 && live.get(1) > 0) {
                out.printf(Locale.ROOT, "live_heap_growth_second_to_last_session_pct: %.1f%n",
                        100.0 * (live.get(live.size() - 1) - live.get(1)) / live.get(1));
            }
            out.printf(Locale.ROOT, "wall_s: %.0f%n", (System.nanoTime() - t0) / 1e9);
            out.flush();
        }
    }

    private static String defaultSpec() {
        try (InputStream in = TraderBenchmark.class.getClassLoader().getResourceAsStream("foresail/config/features.yaml")) {
            if (in == null) {
                throw new IllegalStateException("the default feature spec is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
