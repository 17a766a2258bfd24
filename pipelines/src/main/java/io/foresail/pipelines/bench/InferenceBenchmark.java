package io.foresail.pipelines.bench;

import io.foresail.core.error.InvalidInputException;
import io.foresail.features.engine.FeatureFrame;
import io.foresail.inference.BarPredictions;
import io.foresail.inference.ChampionPredictor;
import io.foresail.inference.ChampionWatcher;
import io.foresail.inference.EnsembleLanes;
import io.foresail.inference.InferenceMetrics;
import io.foresail.inference.RunningPlan;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelCard;
import io.foresail.models.stacked.StackedEnsemble;
import io.foresail.pipelines.predict.BatchPrediction;
import io.foresail.registry.ModelCache;
import io.foresail.registry.ModelRef;
import io.foresail.registry.ModelVersion;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import io.foresail.training.data.Dataset;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The inference figures of docs/benchmarks.md, for a registered version and the feature set it was
 * trained on:
 * <ul>
 *   <li>one bar's prediction for the whole universe through the live path ({@link ChampionPredictor}:
 *       windows, batch, model), p50/p99 over {@code bars} consecutive bars of the set, and each
 *       ensemble member's share of a bar's time;</li>
 *   <li>hot swap under load: a loop predicts without pause while the alias moves {@code swaps}
 *       times between two versions (the artifact published twice under {@value #BENCH_MODEL}): failed
 *       predictions, predictions that are not the model's, swap latency (alias set to first
 *       prediction by the new version) against the poll interval, and resident memory after 10 swaps
 *       and after all of them;</li>
 *   <li>batch prediction throughput over the whole feature set.</li>
 * </ul>
 */
public final class InferenceBenchmark {
    static final String BENCH_MODEL = "foresail-bench-inference";
    private final ModelRef ref;
    private final Path features;
    private final MlflowEndpoint endpoint;
    private final int bars;
    private final int swaps;
    private final Duration poll;
    private final Path work;
    private final boolean batch;
    private final ColdCaches cold;
    private int memberThreads;

    public InferenceBenchmark(ModelRef ref, Path features, MlflowEndpoint endpoint, int bars, int swaps, Duration poll, Path work,
                              boolean batch, int coldMb) {
        this.batch = batch;
        this.cold = new ColdCaches(coldMb);
        this.ref = ref;
        this.features = features;
        this.endpoint = endpoint;
        this.bars = bars;
        this.swaps = swaps;
        this.poll = poll;
        this.work = work;
    }

    /** Threads beside the bar's for a stacked ensemble's members ({@link EnsembleLanes}); 0: none (the default). */
    public InferenceBenchmark memberThreads(int n) {
        if (n < 0) {
            throw new InvalidInputException("--member-threads must be 0 or more, got " + n);
        }
        this.memberThreads = n;
        return this;
    }

    public void run(PrintWriter o) throws Exception {
        // As the trader serves: one PyTorch thread per calling thread (TraderMain does the same).
        io.foresail.models.sequence.SequenceNetModel.servingThreads(1);
        Files.createDirectories(work);
        MlflowClient client = MlflowClient.of(endpoint);
        MlflowModelRegistry registry = new MlflowModelRegistry(client, new ModelCache(work.resolve("model-cache")));
        ModelVersion source = registry.resolve(ref);
        Path artifact = registry.fetch(source);
        ModelCard card = ModelArtifact.readCard(artifact);
        if (card.inputs() == null) {
            throw new InvalidInputException(ref + " records no feature plan; retrain it");
        }
        RunningPlan plan = RunningPlan.recomputed(card.inputs());
        Dataset data = Dataset.load(features);
        if (!plan.hash().equals(data.manifest().planHash())) {
            throw new InvalidInputException(features + " has plan " + data.manifest().planHash() + ", " + ref + " needs " + plan.hash());
        }
        int window = Math.max(1, card.sequenceLength());
        int warm = Math.max(window, plan.warmUpBars());
        int first = Math.max(0, data.times().length - (warm + bars));
        List<FeatureFrame> frames = frames(data, first, data.times().length);
        o.printf(Locale.ROOT, "cores: %d%nmodel: %s/%s (%s, window %d bars, %d features)%nsymbols_per_bar: %d%n",
                Runtime.getRuntime().availableProcessors(), source.name(), source.version(), card.type(), window,
                card.features().size(), plan.symbols().size());
        o.printf(Locale.ROOT, "caches_between_bars: %s%n", cold.describe());
        o.printf(Locale.ROOT, "member_threads: %d beside the bar's%n", memberThreads);
        o.flush();

        // The artifact published twice: the bench follows (and moves) its own alias, never the source's.
        String copy = "inference benchmark copy of " + source.name() + "/" + source.version();
        ModelVersion a = registry.publishInOwnRun("foresail-bench", BENCH_MODEL, artifact, copy, Map.of());
        ModelVersion b = registry.publishInOwnRun("foresail-bench", BENCH_MODEL, artifact, copy, Map.of());
        registry.setAlias(BENCH_MODEL, "champion", a.version());

        InferenceMetrics metrics = new InferenceMetrics();
        ChampionWatcher.Settings settings = ChampionWatcher.Settings.of(BENCH_MODEL).withPolling(poll, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        try (ChampionWatcher watcher = new ChampionWatcher(registry, plan, settings, metrics, Clock.systemUTC());
             EnsembleLanes lanes = memberThreads == 0 ? null : new EnsembleLanes(memberThreads)) {
            ChampionWatcher.Check c = watcher.reload();
            if (c.outcome() != ChampionWatcher.Outcome.SWAPPED) {
                throw new IllegalStateException(BENCH_MODEL + " version " + c.version() + " is not served: " + c.outcome()
                        + " " + c.reason());
            }
            // One pass to compile the hot paths, as hours of trading would; then the timed pass, afresh.
            latency(null, new ChampionPredictor(watcher, plan, new InferenceMetrics(), lanes), frames, warm);
            ChampionPredictor predictor = new ChampionPredictor(watcher, plan, metrics, lanes);
            latency(o, predictor, frames, warm);
            members(o, artifact, data, window);
            if (swaps > 0) {
                hotSwap(o, registry, watcher, predictor, frames.subList(warm, frames.size()), a, b);
            }
        }
        if (!batch) {
            o.flush();
            return;
        }
        Path out = work.resolve("predictions-" + System.nanoTime() + ".parquet");
        BatchPrediction.Result r = BatchPrediction.run(registry, new BatchPrediction.Request(ref, features, null, null, out));
        o.printf(Locale.ROOT, "batch_rows: %d%nbatch_seconds: %.1f%nbatch_rows_per_s: %.0f%n", r.scored(), r.seconds(),
                r.rowsPerSecond());
        Files.deleteIfExists(out);
        o.flush();
    }

    /** Times each bar after the warm-up. */
    private void latency(PrintWriter o, ChampionPredictor predictor, List<FeatureFrame> frames, int warm) {
        for (int k = 0; k < warm; k++) {
            predictor.predict(frames.get(k));
        }
        int timed = frames.size() - warm;
        double[] micros = new double[timed];
        double[] cpu = new double[timed];
        int scored = 0;
        for (int k = warm; k < frames.size(); k++) {
            cold.evict();
            long c0 = ColdCaches.cpuNanos();
            long t0 = System.nanoTime();
            BarPredictions p = predictor.predict(frames.get(k));
            micros[k - warm] = (System.nanoTime() - t0) / 1e3;
            cpu[k - warm] = (ColdCaches.cpuNanos() - c0) / 1e3;
            scored += p.symbols().size();
        }
        if (o == null) {
            return;
        }
        Arrays.sort(micros);
        o.printf(Locale.ROOT, "bar_predict_bars: %d%nbar_predict_symbols_scored_mean: %.1f%n", timed, (double) scored / timed);
        o.printf(Locale.ROOT, "bar_predict_p50_ms: %.3f%nbar_predict_p99_ms: %.3f%nbar_predict_max_ms: %.3f%n",
                q(micros, 0.5) / 1e3, q(micros, 0.99) / 1e3, micros[micros.length - 1] / 1e3);
        Arrays.sort(cpu);
        o.printf(Locale.ROOT, "bar_predict_cpu_p50_ms: %.3f%nbar_predict_cpu_p99_ms: %.3f%n", q(cpu, 0.5) / 1e3, q(cpu, 0.99) / 1e3);
        o.flush();
    }

    /** Each member of an ensemble on one bar's inputs for the universe: median time and share. */
    private void members(PrintWriter o, Path artifact, Dataset data, int window) {
        try (Model m = ModelArtifact.load(artifact)) {
            if (!(m instanceof StackedEnsemble e)) {
                return;
            }
            int lastBar = data.times().length - 1;
            int[] rows = java.util.stream.IntStream.range(data.firstRowOfBar(lastBar), data.rows()).toArray();
            FeatureMatrix lastRows = data.x().select(rows);
            Map<String, Double> median = new LinkedHashMap<>();
            Map<String, Double> tail = new LinkedHashMap<>();
            for (int i = 0; i < e.members().size(); i++) {
                Model member = e.members().get(i);
                int own = member.card().sequenceLength();
                FeatureMatrix in = own == 0 ? lastRows : data.windows(own).windows(rows);
                double[] t = new double[200];
                for (int r = 0; r < 220; r++) {
                    cold.evict();
                    long t0 = System.nanoTime();
                    member.predict(in);
                    if (r >= 20) {
                        t[r - 20] = (System.nanoTime() - t0) / 1e3;
                    }
                }
                Arrays.sort(t);
                median.put(e.manifest().members().get(i).name(), q(t, 0.5));
                tail.put(e.manifest().members().get(i).name(), q(t, 0.99));
            }
            FeatureMatrix whole = window > 1 ? data.windows(window).windows(rows) : lastRows;
            double[] t = new double[200];
            for (int r = 0; r < 220; r++) {
                cold.evict();
                long t0 = System.nanoTime();
                e.predict(whole);
                if (r >= 20) {
                    t[r - 20] = (System.nanoTime() - t0) / 1e3;
                }
            }
            Arrays.sort(t);
            o.printf(Locale.ROOT, "ensemble_predict_p50_ms: %.3f%nensemble_predict_p99_ms: %.3f%n", q(t, 0.5) / 1e3, q(t, 0.99) / 1e3);
            double total = median.values().stream().mapToDouble(Double::doubleValue).sum();
            median.forEach((name, us) -> o.printf(Locale.ROOT, "member_%s_p50_ms: %.3f (%.0f%%), p99 %.3f%n", name, us / 1e3,
                    100 * us / total, tail.get(name) / 1e3));
            o.flush();
        }
    }

    private void hotSwap(PrintWriter o, MlflowModelRegistry registry, ChampionWatcher watcher, ChampionPredictor predictor,
                         List<FeatureFrame> timed, ModelVersion a, ModelVersion b) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong predictions = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        AtomicReference<String> lastVersion = new AtomicReference<>(a.version());
        FeatureFrame lastFrame = timed.get(timed.size() - 1);
        // The same bar again and again: once the windows hold nothing else, every prediction of it must
        // give the same bits, whichever copy serves; anything else is a half-loaded or a wrong model.
        int window = 64;
        for (int i = 0; i <= window; i++) {
            predictor.predict(lastFrame);
        }
        double[] steady = predictor.predict(lastFrame).scores();
        Thread load = new Thread(() -> {
            while (!stop.get()) {
                try {
                    BarPredictions p = predictor.predict(lastFrame);
                    if (!Arrays.equals(p.scores(), steady)) {
                        wrong.incrementAndGet();
                    }
                    lastVersion.set(p.version().version());
                    predictions.incrementAndGet();
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                }
            }
        }, "bench-load");
        load.start();
        watcher.start();
        long rss10 = 0;
        long heap10 = 0;
        List<Double> latency = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 1; i <= swaps; i++) {
            ModelVersion to = i % 2 == 1 ? b : a;
            registry.setAlias(BENCH_MODEL, "champion", to.version());
            long set = System.nanoTime();
            while (!lastVersion.get().equals(to.version())) {
                if (System.nanoTime() - set > Duration.ofMinutes(2).toNanos()) {
                    throw new IllegalStateException("swap " + i + " to version " + to.version() + " did not land in 2 minutes");
                }
                Thread.sleep(5);
            }
            latency.add((System.nanoTime() - set) / 1e9);
            if (i == 10) {
                System.gc();
                rss10 = rssKb();
                heap10 = heapCommittedKb();
            }
        }
        stop.set(true);
        load.join();
        System.gc();
        long rssEnd = rssKb();
        long heapEnd = heapCommittedKb();
        double[] l = latency.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        o.printf(Locale.ROOT, "swaps: %d in %.0f s%nswap_poll_interval_s: %.1f%n", swaps, (System.nanoTime() - t0) / 1e9,
                poll.toMillis() / 1e3);
        o.printf(Locale.ROOT, "swap_latency_p50_s: %.2f%nswap_latency_max_s: %.2f%n", q(l, 0.5), l[l.length - 1]);
        o.printf(Locale.ROOT, "swap_predictions: %d%nswap_failed_predictions: %d%nswap_wrong_predictions: %d%n",
                predictions.get(), failed.get(), wrong.get());
        o.printf(Locale.ROOT, "rss_after_10_swaps_mb: %.0f%nrss_after_%d_swaps_mb: %.0f (%+.1f%%)%n", rss10 / 1024.0, swaps,
                rssEnd / 1024.0, rss10 == 0 ? 0 : 100.0 * (rssEnd - rss10) / rss10);
        // The Java heap grows towards -Xmx and is not handed back; what a native leak would grow is the rest.
        long off10 = rss10 - heap10;
        long offEnd = rssEnd - heapEnd;
        o.printf(Locale.ROOT, "outside_heap_after_10_swaps_mb: %.0f%noutside_heap_after_%d_swaps_mb: %.0f (%+.1f%%)%n",
                off10 / 1024.0, swaps, offEnd / 1024.0, off10 <= 0 ? 0 : 100.0 * (offEnd - off10) / off10);
        o.flush();
    }

    /** The frames of bars {@code [from, to)} of the set, as the online engine would give them. */
    static List<FeatureFrame> frames(Dataset data, int from, int to) {
        List<FeatureFrame> out = new ArrayList<>();
        int width = data.features().size();
        for (int bar = from; bar < to; bar++) {
            int r0 = data.firstRowOfBar(bar);
            int r1 = bar + 1 < data.times().length ? data.firstRowOfBar(bar + 1) : data.rows();
            List<Integer> rows = new ArrayList<>();
            for (int r = r0; r < r1; r++) {
                rows.add(r);
            }
            rows.sort((x, y) -> data.symbols().get(data.symbol()[x]).compareTo(data.symbols().get(data.symbol()[y])));
            List<String> symbols = new ArrayList<>();
            double[][] values = new double[rows.size()][width];
            for (int i = 0; i < rows.size(); i++) {
                symbols.add(data.symbols().get(data.symbol()[rows.get(i)]));
                for (int j = 0; j < width; j++) {
                    values[i][j] = data.x().get(rows.get(i), j);
                }
            }
            long ts = data.times()[bar];
            out.add(new FeatureFrame(Instant.ofEpochSecond(ts / 1_000_000, (ts % 1_000_000) * 1000), data.features(), symbols, values));
        }
        return out;
    }

    private static long heapCommittedKb() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /** The nearest-rank quantile {@code p} of {@code sorted} values, as the trader's own figures take it. */
    static double q(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
