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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code foresail bench trader}: the trader in its own JVM against the in-process simulator, 50
 * equities with five years of 15-minute history, the default feature set, a gradient-boosted
 * champion fitted here or a registered version (a quickstart's stacked ensemble). Figures: start to
 * ready (cold, and after a kill -9: JVM start, model, warm-up over the bars API, reconciliation);
 * bar close to every order submitted over a traded month, p50/p99 with and without the broker's
 * round trips and stage by stage (the trader measures them); the trader's resident memory and live
 * heap session by session, and the classes whose live objects grew.
 */
public final class TraderBenchmark {
    private final int symbols;
    private final int historySessions;
    private final int sessions;
    private final long seed;
    private final Path work;
    private final URI mlflow;
    private final Path home;
    private final io.foresail.registry.ModelRef champion;
    private Path heapDump;
    private java.time.Duration latency = java.time.Duration.ZERO;
    private Integer requestsInFlight;
    private Integer memberThreads;
    private int venueNice;
    private Integer barThreadsNice;
    private Integer barThreadsRealtime;
    private int neighbourCores;
    private java.time.Duration minuteGap = java.time.Duration.ofMillis(2);

    /**
     * @param champion a registered version to serve (copied under the bench's own name), or null for
     *                 a 50-round XGBoost model fitted here over the default feature set's columns
     */
    public TraderBenchmark(int symbols, int historySessions, int sessions, long seed, Path work, URI mlflow, Path home,
                           io.foresail.registry.ModelRef champion) {
        this.champion = champion;
        this.symbols = symbols;
        this.historySessions = historySessions;
        this.sessions = sessions;
        this.seed = seed;
        this.work = work;
        this.mlflow = mlflow;
        this.home = home;
    }

    /**
     * Makes the simulator answer every API request {@code latency} late, a network round trip such
     * as a cloud host's to Alpaca (the figures without the broker still leave it out).
     */
    public TraderBenchmark networkLatency(java.time.Duration latency) {
        this.latency = java.util.Objects.requireNonNull(latency, "latency");
        return this;
    }

    /**
     * The trader's {@code alpaca.requests_in_flight} (1: every broker request of a bar one after the
     * other; null: the trader's default).
     */
    public TraderBenchmark requestsInFlight(Integer n) {
        this.requestsInFlight = n;
        return this;
    }

    /**
     * Once the trader has started, lowers this JVM's priority (the simulator's, the market's and
     * this bench's threads) to {@code nice}, 0 leaving it as it is: with the venue on another
     * machine, as in production, nothing of it would compete for the trader's cores. Linux's
     * {@code renice}; no privilege needed to lower a priority.
     */
    public TraderBenchmark venueNice(int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("--venue-nice must be 0 to 19, got " + nice);
        }
        this.venueNice = nice;
        return this;
    }

    /** The trader's {@code bars.threads_nice} (null: unset, the process's own priority). */
    public TraderBenchmark barThreadsNice(Integer nice) {
        this.barThreadsNice = nice;
        return this;
    }

    /** The trader's {@code bars.threads_realtime}, a {@code SCHED_FIFO} priority (null: unset). */
    public TraderBenchmark barThreadsRealtime(Integer priority) {
        this.barThreadsRealtime = priority;
        return this;
    }

    /**
     * Busy processes beside the trader from its start to the end of the run, {@code n} of them, each
     * wanting a whole core at the default priority: a training job on the same host.
     */
    public TraderBenchmark neighbourCores(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("--neighbour-cores must be 0 or more, got " + n);
        }
        this.neighbourCores = n;
        return this;
    }

    /** Busy processes, each wanting a core, until closed. */
    private static final class Neighbours implements AutoCloseable {
        private final List<Process> processes = new ArrayList<>();

        void start(int n) throws IOException {
            for (int i = 0; i < n; i++) {
                processes.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
        }

        @Override
        public void close() {
            processes.forEach(Process::destroyForcibly);
        }
    }

    /** Renices every thread of this process (Linux's niceness is per thread; new ones inherit their creator's). */
    private static int niceThisProcess(int nice) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.map(t -> t.getFileName().toString()).forEach(command::add);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("renice failed: " + said.strip());
        }
        return command.size() - 4;
    }

    /** The trader's {@code model.member_threads} (null: the trader's default). */
    public TraderBenchmark memberThreads(Integer n) {
        this.memberThreads = n;
        return this;
    }

    /**
     * The pause between a bar's minutes (default 2 ms, as fast as the stream keeps up): longer
     * leaves the trader as quiet before each close as a market does, whose minutes are a minute
     * apart, instead of still busy with the previous bar's fills.
     */
    public TraderBenchmark minuteGap(java.time.Duration gap) {
        this.minuteGap = java.util.Objects.requireNonNull(gap, "gap");
        return this;
    }

    /** Also writes the trader's heap at the end of the run to {@code file} (HPROF), for a leak's holder. */
    public TraderBenchmark heapDumpTo(Path file) {
        this.heapDump = file;
        return this;
    }

    public void run(PrintWriter out) throws Exception {
        long t0 = System.nanoTime();
        LocalDate firstDay = LocalDate.of(2019, 1, 2);
        try (Testbed bed = Testbed.create(symbols, firstDay, historySessions, sessions, seed, work, mlflow, latency);
             Neighbours neighbours = new Neighbours();
             HostSteal steal = HostSteal.start(Duration.ofMillis(50))) {
            out.printf(Locale.ROOT, "machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            out.printf(Locale.ROOT, "market: %d equities + benchmark, %d sessions of history, %d traded (from %s), "
                            + "generated in %.1f s%n", symbols, historySessions, sessions, bed.grid().start(bed.firstBar()),
                    (System.nanoTime() - t0) / 1e9);
            out.printf(Locale.ROOT, "network round trip (the simulator's answers held back): %d ms; the trader's broker "
                    + "requests in flight at once: %s; between a bar's minutes: %d ms; an ensemble's member threads beside the "
                    + "bar's: %s; the trader's timers as deployed (alias checked every 30 s, ticker every 1 s)%n", latency.toMillis(),
                    requestsInFlight == null ? "its default" : requestsInFlight, minuteGap.toMillis(),
                    memberThreads == null ? "its default" : memberThreads);
            String modelName = "bench-trader-s" + seed;
            if (champion == null) {
                List<ModelVersion> v = bed.publishChampions(modelName, defaultSpec(), 1, seed, true);
                out.println("champion: " + v.get(0).name() + "/" + v.get(0).version() + " (XGBoost, 50 rounds, the default "
                        + "feature set's columns)");
            } else {
                ModelVersion v = bed.publishCopy(modelName, champion);
                out.println("champion: " + v.name() + "/" + v.version() + " (a copy of " + champion + ")");
            }
            out.flush();
            // The trader's timers as deployed (the alias checked every 30 s, the ticker every second), not the tests'
            // (0.3 s and 50 ms): at those, MLflow's Python and the simulator's clock answer on the bar's two cores
            // several times a bar.
            Path config = bed.writeConfig(modelName, 10, 3000, Testbed.Knobs.AS_DEPLOYED.withRequestsInFlight(requestsInFlight)
                    .withMemberThreads(memberThreads).withBarThreads(barThreadsNice, barThreadsRealtime));
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
            if (barThreadsNice != null) {
                out.printf(Locale.ROOT, "the trader's bar threads (bar, ensemble members, broker requests) at nice %d "
                        + "(bars.threads_nice)%n", barThreadsNice);
            }
            if (barThreadsRealtime != null) {
                out.printf(Locale.ROOT, "the trader's bar threads (bar, ensemble members, broker requests) realtime, SCHED_FIFO "
                        + "priority %d (bars.threads_realtime)%n", barThreadsRealtime);
            }
            neighbours.start(neighbourCores);
            if (neighbourCores > 0) {
                out.printf(Locale.ROOT, "%d busy processes beside the trader (a training job on the same host), from now "
                        + "to the end of the run%n", neighbourCores);
            }
            if (venueNice > 0) {
                out.printf(Locale.ROOT, "the simulator (this JVM's %d threads) at nice %d from now on, the trader at its "
                        + "own: the trader's threads get a core first, as with the venue on another machine%n",
                        niceThisProcess(venueNice), venueNice);
            }
            out.flush();

            StateFile file = new StateFile(state);
            List<Long> rss = new ArrayList<>();
            List<Long> live = new ArrayList<>();
            List<String> histograms = new ArrayList<>();
            rss.add(trader.residentBytes());
            int undecided = 0;
            int bars = bed.lastBar() - bed.firstBar() + 1;
            String day = null;
            for (int g = bed.firstBar(); g <= bed.lastBar(); g++) {
                if (!bed.playBar(g, file, Duration.ofSeconds(30), minuteGap)) {
                    undecided++;
                } else {
                    // As in a market, where bars are 15 minutes apart: the next one starts once this
                    // one's orders are out, not while they are still being sent.
                    file.awaitBarDone(bed.grid().end(g), Duration.ofSeconds(5));
                }
                String d = bed.grid().start(g).atZone(java.time.ZoneId.of("America/New_York")).toLocalDate().toString();
                if (day != null && !d.equals(day)) {
                    rss.add(trader.residentBytes());
                    histograms.add(trader.classHistogram());
                    live.add(Histogram.totalBytes(histograms.get(histograms.size() - 1)));
                }
                day = d;
            }
            rss.add(trader.residentBytes());
            histograms.add(trader.classHistogram());
            live.add(Histogram.totalBytes(histograms.get(histograms.size() - 1)));
            if (heapDump != null) {
                Files.deleteIfExists(heapDump);
                out.println("heap dump: " + (trader.heapDump(heapDump) ? heapDump : "failed"));
            }
            JsonNode status = Json.MAPPER.readTree(trader.get("/status").body());
            JsonNode lat = status.path("decision_latency_ms");
            long orders = status.path("orders_sent").asLong();
            long afterWarmUp = lat.path("bars_after_warmup").asLong(0);
            JsonNode barList = afterWarmUp > 0
                    ? Json.MAPPER.readTree(trader.get("/latencies?last=" + Math.min(afterWarmUp, 10_000)).body()).path("bars")
                    : Json.MAPPER.createArrayNode();
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
            out.printf(Locale.ROOT, "the bar thread's CPU time, after the first session (the bar's own work, without its waits "
                            + "for a core or the broker): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    lat.path("p50_bar_thread_cpu_after_warmup").asDouble(), lat.path("p99_bar_thread_cpu_after_warmup").asDouble(),
                    lat.path("max_bar_thread_cpu_after_warmup").asDouble());
            if (lat.has("p50_bar_thread_waiting_for_a_core_after_warmup")) {
                out.printf(Locale.ROOT, "the bar thread's time runnable but waiting for a core (the kernel's run queue), after the "
                                + "first session: p50 %.2f ms, p99 %.2f ms%n",
                        lat.path("p50_bar_thread_waiting_for_a_core_after_warmup").asDouble(),
                        lat.path("p99_bar_thread_waiting_for_a_core_after_warmup").asDouble());
            }
            JsonNode onDisk = lat.has("decision_on_disk_after_warmup") ? lat.path("decision_on_disk_after_warmup")
                    : lat.path("decision_on_disk");
            if (!onDisk.isMissingNode()) {
                out.printf(Locale.ROOT, "a decision's commit to its record on the disk (decision_on_disk: %s), p50 %.2f ms, "
                                + "p99 %.2f ms, max %.2f ms%n", status.path("decision_on_disk").asText("?"),
                        onDisk.path("p50").asDouble(), onDisk.path("p99").asDouble(), onDisk.path("max").asDouble());
            }
            JsonNode stages = lat.has("stages_after_warmup") ? lat.path("stages_after_warmup") : lat.path("stages");
            out.printf(Locale.ROOT, "stages (%s), p50 / p99 ms:%n", lat.has("stages_after_warmup") ? "after the first session"
                    : "all bars");
            stages.fields().forEachRemaining(e -> out.printf(Locale.ROOT, "  %-20s %8.3f %8.3f%n", e.getKey(),
                    e.getValue().path("p50").asDouble(), e.getValue().path("p99").asDouble()));
            printSteal(out, steal, barList);
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
            if (histograms.size() > 2) {
                // What grew between the end of the second session and the end of the run: the holder of any leak.
                out.println("live objects grown from the second session to the last (bytes, instances, class):");
                Histogram.growth(histograms.get(1), histograms.get(histograms.size() - 1)).stream().limit(12)
                        .forEach(g -> out.printf(Locale.ROOT, "  %+10d %+8d  %s%n", g.bytes(), g.instances(), g.type()));
            }
            out.printf(Locale.ROOT, "wall_s: %.0f%n", (System.nanoTime() - t0) / 1e9);
            out.flush();
        }
    }

    /**
     * The hypervisor's steal time over the run, and the bars after the first session split by
     * whether any fell while they ran (from their start, their end less their latency, to their
     * end): what a virtual machine's host took from the figures, apart from the code's own tail.
     */
    private static void printSteal(PrintWriter out, HostSteal steal, JsonNode bars) {
        if (!steal.known()) {
            out.println("the host's steal time: not reported by this system (/proc/stat)");
            return;
        }
        double coreMillis = steal.span().toMillis() * (double) Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "the host's steal time over the run (the hypervisor running something else on this machine's "
                + "cores): %d ms of %.0f core-ms (%.2f%%)%n", steal.totalMillis(), coreMillis,
                coreMillis > 0 ? 100.0 * steal.totalMillis() / coreMillis : 0);
        List<Double> alone = new ArrayList<>();
        List<Double> stolen = new ArrayList<>();
        for (JsonNode b : bars) {
            java.time.Instant end = java.time.Instant.parse(b.path("ended_at").asText());
            java.time.Instant start = end.minusNanos(Math.round(b.path("ms").asDouble() * 1e6));
            (steal.stolenBetween(start, end) == 0 ? alone : stolen).add(b.path("ms_excluding_broker").asDouble());
        }
        out.printf(Locale.ROOT, "bars after the first session, less the broker, by whether the host stole time while they ran "
                + "(sampled every 50 ms): none: %s; some: %s%n", percentiles(alone), percentiles(stolen));
    }

    /** "N bars, p50 X ms, p99 Y ms, max Z ms". */
    static String percentiles(List<Double> values) {
        if (values.isEmpty()) {
            return "0 bars";
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "%d bars, p50 %.2f ms, p99 %.2f ms, max %.2f ms", v.length,
                InferenceBenchmark.q(v, 0.5), InferenceBenchmark.q(v, 0.99), v[v.length - 1]);
    }

    /** A {@code GC.class_histogram}'s figures. */
    static final class Histogram {
        /** One class's growth between two histograms. */
        record Growth(String type, long instances, long bytes) {
        }

        private Histogram() {
        }

        /** The Total line's bytes; -1 when there is none (no jcmd). */
        static long totalBytes(String histogram) {
            for (String line : histogram.split("\n")) {
                if (line.startsWith("Total")) {
                    return Long.parseLong(line.trim().split("\\s+")[2]);
                }
            }
            return -1;
        }

        /** Classes whose live bytes grew from {@code before} to {@code after}, most first. */
        static List<Growth> growth(String before, String after) {
            java.util.Map<String, long[]> b = rows(before);
            List<Growth> out = new ArrayList<>();
            rows(after).forEach((type, a) -> {
                long[] was = b.getOrDefault(type, new long[2]);
                if (a[1] > was[1]) {
                    out.add(new Growth(type, a[0] - was[0], a[1] - was[1]));
                }
            });
            out.sort(java.util.Comparator.comparingLong(Growth::bytes).reversed());
            return out;
        }

        private static java.util.Map<String, long[]> rows(String histogram) {
            java.util.Map<String, long[]> out = new java.util.HashMap<>();
            for (String line : histogram.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    out.merge(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
                            (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
                }
            }
            return out;
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
