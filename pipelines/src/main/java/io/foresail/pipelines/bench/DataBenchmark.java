package io.foresail.pipelines.bench;

import io.foresail.core.io.Directories;
import io.foresail.core.progress.Progress;
import io.foresail.data.adjust.SplitAdjuster;
import io.foresail.data.store.Adjustment;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.store.BarStoreWriter;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SynthOutput;
import io.foresail.data.synth.SyntheticMarket;
import io.foresail.data.validate.BarValidator;
import io.foresail.data.validate.ValidationConfig;
import io.foresail.data.validate.ValidationMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data-layer benchmark: generation, store write, store read and validation throughput on the
 * full default synthetic market. Each figure is the median of {@code runs} timed runs after one
 * warm-up; all of them are printed as {@code name: value} lines.
 */
public final class DataBenchmark {
    private final int runs;
    private final int symbols;
    private final Path work;

    public DataBenchmark(int runs, int symbols, Path work) {
        this.runs = Math.max(1, runs);
        this.symbols = symbols;
        this.work = work;
    }

    public void run(PrintWriter out) throws IOException {
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("foresail-bench");
        try {
            SynthConfig config = SynthConfig.builder().symbols(symbols).build();
            out.printf(Locale.ROOT, "cores: %d%n", Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "jvm: %s %s%n", System.getProperty("java.vm.name"), System.getProperty("java.version"));
            out.printf(Locale.ROOT, "runs: %d (median reported)%n", runs);

            SyntheticMarket.Result market = SyntheticMarket.generate(config); // warm-up
            long bars = market.totalBars();
            out.printf(Locale.ROOT, "bars: %d%n", bars);
            double gen = median(() -> SyntheticMarket.generate(config));
            out.printf(Locale.ROOT, "synth_generate_seconds: %.3f%n", gen);
            out.printf(Locale.ROOT, "synth_bars_per_second: %.0f%n", bars / gen);

            SplitAdjuster adjuster = new SplitAdjuster(config.calendar().zone());
            List<BarSeries> series = market.rawSeries().stream()
                    .map(s -> adjuster.adjust(s, market.actions().all())).toList();
            int[] k = {0};
            double write = median(() -> {
                Path root = dir.resolve("write-" + k[0]++);
                BarStoreWriter w = BarStoreWriter.create(root, "NYSE", config.timeframe(), Adjustment.SPLIT, Map.of());
                series.parallelStream().forEach(w::put);
                w.commit();
            });
            out.printf(Locale.ROOT, "store_write_seconds: %.3f%n", write);
            out.printf(Locale.ROOT, "store_write_rows_per_second: %.0f%n", bars / write);

            BarStore store = BarStore.open(dir.resolve("write-0"));
            double read = median(store::readAll);
            out.printf(Locale.ROOT, "store_read_seconds: %.3f%n", read);
            out.printf(Locale.ROOT, "store_read_rows_per_second: %.0f%n", bars / read);

            BarValidator validator = new BarValidator(ValidationConfig.builder().build());
            double validate = median(() -> validator.validate(store, ValidationMode.STRICT));
            out.printf(Locale.ROOT, "validate_seconds: %.3f%n", validate);
            out.printf(Locale.ROOT, "validate_rows_per_second: %.0f%n", bars / validate);

            int[] j = {0};
            double synth = median(() -> SynthOutput.write(dir.resolve("synth-" + j[0]++), config, 0, Progress.NONE));
            out.printf(Locale.ROOT, "data_synth_command_seconds: %.3f%n", synth);
            out.flush();
        } finally {
            if (work == null) {
                delete(dir);
            }
        }
    }

    private double median(Runnable task) {
        double[] secs = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            task.run();
            secs[i] = (System.nanoTime() - t) / 1e9;
        }
        Arrays.sort(secs);
        return secs[runs / 2];
    }

    private static void delete(Path dir) {
        Directories.delete(dir);
    }
}
