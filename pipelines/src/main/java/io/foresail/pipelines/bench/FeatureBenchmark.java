package io.foresail.pipelines.bench;

import io.foresail.core.market.Bar;
import io.foresail.core.io.Directories;
import io.foresail.core.progress.Progress;
import io.foresail.core.universe.Universe;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SynthOutput;
import io.foresail.features.engine.OnlineFeatureEngine;
import io.foresail.features.engine.SymbolFeatures;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.features.spec.FeatureSetSpec;
import io.foresail.pipelines.features.FeatureSetJob;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The feature benchmark: the full Spark build of the default spec over the full default market
 * (start-up shown apart from the build), and the online engine's latency per timestamp for the
 * whole universe. Prints {@code name: value} lines; medians over {@code runs}.
 */
public final class FeatureBenchmark {
    private final int runs;
    private final Path bars;
    private final Path work;
    private final boolean onlineOnly;

    public FeatureBenchmark(int runs, Path bars, Path work, boolean onlineOnly) {
        this.onlineOnly = onlineOnly;
        this.runs = Math.max(1, runs);
        this.bars = bars;
        this.work = work;
    }

    public void run(PrintWriter out) throws IOException {
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("foresail-bench");
        try {
            Path store = bars;
            if (store == null) {
                store = dir.resolve("market").resolve("bars");
                if (!BarStore.exists(store)) {
                    SynthOutput.write(dir.resolve("market"), SynthConfig.builder().build(), 0, Progress.NONE);
                }
            }
            FeatureSetSpec spec = FeatureSetSpec.defaultSpec();
            FeaturePlan plan = FeaturePlan.resolve(spec, FeatureLibrary.standard());
            out.printf(Locale.ROOT, "cores: %d%n", Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "jvm: %s %s, max heap %d MiB%n", System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
            out.printf(Locale.ROOT, "bars: %s (%d rows)%n", store, BarStore.open(store).manifest().rows());
            out.printf(Locale.ROOT, "features: %d (+%d labels)%n", plan.width(), plan.labels().names().size());
            out.flush();

            double[] check = new double[runs];
            double[] spark = new double[runs];
            double[] build = new double[runs];
            double[] total = new double[runs];
            long values = 0;
            for (int i = 0; i < (onlineOnly ? 0 : runs); i++) {
                Path root = dir.resolve("sets-" + i);
                long t0 = System.nanoTime();
                FeatureSetJob.Result r = FeatureSetJob.run(new FeatureSetJob.Request(store, spec, root,
                        Universe.defaultUniverse(), "local[*]"));
                total[i] = (System.nanoTime() - t0) / 1e9;
                check[i] = r.checkSeconds();
                spark[i] = r.sparkSeconds();
                build[i] = r.computeSeconds();
                values = (long) plan.width() * r.rows();
                out.printf(Locale.ROOT, "run %d: total %.1f s (checks %.1f, Spark start-up %.1f, build %.1f)%n", i + 1,
                        total[i], check[i], spark[i], build[i]);
                out.flush();
                delete(root);
            }
            if (onlineOnly) {
                online(store, plan, out);
                return;
            }
            out.printf(Locale.ROOT, "feature_build_total_s: %.1f%n", median(total));
            out.printf(Locale.ROOT, "feature_build_checks_s: %.1f%n", median(check));
            out.printf(Locale.ROOT, "feature_build_spark_startup_s: %.1f%n", median(spark));
            out.printf(Locale.ROOT, "feature_build_compute_s: %.1f%n", median(build));
            out.printf(Locale.ROOT, "feature_values: %d%n", values);
            out.printf(Locale.ROOT, "feature_values_per_s: %.2fM%n", values / median(build) / 1e6);
            out.flush();
            online(store, plan, out);
        } finally {
            if (work == null) {
                delete(dir);
            }
        }
    }

    /**
     * Feeds the market to the engine, once updating symbols on the calling thread only and once on
     * all cores; times every timestamp after the first quarter (warm, JIT-compiled).
     */
    private void online(Path store, FeaturePlan plan, PrintWriter out) {
        TreeMap<Long, List<Bar>> byTime = new TreeMap<>();
        for (BarSeries s : BarStore.open(store).readAll()) {
            for (int i = 0; i < s.size(); i++) {
                byTime.computeIfAbsent(s.tsMicros(i), k -> new ArrayList<>(64)).add(s.bar(i));
            }
        }
        List<List<Bar>> timestamps = new ArrayList<>(byTime.values()).subList(0, Math.min(byTime.size(), 20_000));
        out.printf(Locale.ROOT, "online_graph_nodes_per_symbol: %d (for %d kernels)%n",
                new SymbolFeatures(plan.features()).graphSize(), plan.features().size());
        int cores = Runtime.getRuntime().availableProcessors();
        for (int parallelism : new int[] {1, cores}) {
            OnlineFeatureEngine engine = OnlineFeatureEngine.builder(plan).parallelism(parallelism).build();
            int skip = timestamps.size() / 4;
            long[] nanos = new long[timestamps.size() - skip];
            int symbols = 0;
            for (int t = 0; t < timestamps.size(); t++) {
                List<Bar> bars = timestamps.get(t);
                long t0 = System.nanoTime();
                var frame = engine.onBars(bars.get(0).start(), bars);
                long dt = System.nanoTime() - t0;
                if (t >= skip) {
                    nanos[t - skip] = dt;
                    symbols = Math.max(symbols, frame.symbols().size());
                }
            }
            Arrays.sort(nanos);
            String p = "online_" + (parallelism == 1 ? "1core" : cores + "cores");
            out.printf(Locale.ROOT, "%s_timestamps_timed: %d (after %d warm-up), %d symbols each%n",
                    p, nanos.length, skip, symbols);
            out.printf(Locale.ROOT, "%s_update_us_p50: %.0f%n", p, nanos[nanos.length / 2] / 1e3);
            out.printf(Locale.ROOT, "%s_update_us_p99: %.0f%n", p, nanos[(int) (nanos.length * 0.99)] / 1e3);
            out.printf(Locale.ROOT, "%s_update_us_per_symbol_p50: %.1f%n", p, nanos[nanos.length / 2] / 1e3 / symbols);
            out.flush();
            if (cores == 1) {
                break;
            }
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void delete(Path dir) {
        Directories.delete(dir);
    }
}
