package io.foresail.data.synth;

import io.foresail.core.io.Sha256;
import io.foresail.core.io.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.progress.Progress;
import io.foresail.data.adjust.SplitAdjuster;
import io.foresail.data.store.Adjustment;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.store.BarStoreWriter;
import io.foresail.data.store.ContentHash;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a synthetic market to a directory:
 * <pre>
 * DIR/raw/                    bar store, adjustment raw: prices as traded, splits visible
 * DIR/corporate_actions.csv   the splits
 * DIR/bars/                   bar store, adjustment split: raw back-adjusted by {@link SplitAdjuster}
 * DIR/oracle/oracle.parquet   expected next-bar return per equity and bar (never in a bar store)
 * DIR/oracle/summary.json     the oracle's realised IC
 * DIR/faulty/, DIR/faults.csv with faults: a copy of bars/ with planted defects, and the list of them
 * </pre>
 * The directory must not already hold a market.
 */
public final class SynthOutput {
    private static final Logger LOG = LoggerFactory.getLogger(SynthOutput.class);
    /** Bumped whenever the generative model changes, so stores from different models never share an id. */
    public static final String GENERATOR_VERSION = "synth/2";

    private SynthOutput() {
    }

    /** Reads {@code DIR/oracle/summary.json}. */
    public static OracleSummary readSummary(Path dir) {
        Path file = dir.resolve("oracle").resolve("summary.json");
        try {
            return Json.MAPPER.readValue(Files.readString(file), OracleSummary.class);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read the oracle summary: " + e.getMessage(), e);
        }
    }

    /** What was written and how long each stage took. */
    public record Written(Path dir, BarStore raw, BarStore bars, BarStore faulty, Path oracle,
                          OracleSummary summary, long bars0, Map<String, Long> stageMillis) {
    }

    /**
     * Generates and writes the market; {@code faultsPerKind > 0} also writes the faulty copy.
     */
    public static Written write(Path dir, SynthConfig config, int faultsPerKind, Progress progress) {
        if (Files.exists(dir.resolve("raw")) || Files.exists(dir.resolve("bars"))) {
            throw new InvalidInputException(dir + " already holds a synthetic market; choose a new --out or delete it");
        }
        Map<String, Long> millis = new TreeMap<>();
        long t0 = System.nanoTime();
        SyntheticMarket.Result market = SyntheticMarket.generate(config, progress);
        millis.put("generate", (System.nanoTime() - t0) / 1_000_000);

        Map<String, String> provenance = new TreeMap<>();
        provenance.put("source", "synthetic");
        provenance.put("generator", GENERATOR_VERSION);
        provenance.put("seed", Long.toString(config.seed()));
        provenance.put("alpha_ic", Double.toString(config.alphaIc()));
        provenance.put("symbols", Integer.toString(config.symbols()));
        provenance.put("start", config.start().toString());
        provenance.put("end", config.end().toString());

        long t1 = System.nanoTime();
        List<BarSeries> raw = market.rawSeries();
        String calendar = config.calendar().name();
        BarStore rawStore = writeStore(dir.resolve("raw"), calendar, config, Adjustment.RAW, provenance, raw,
                progress, "write raw");
        Path actions = dir.resolve("corporate_actions.csv");
        market.actions().write(actions);
        millis.put("write_raw", (System.nanoTime() - t1) / 1_000_000);

        long t2 = System.nanoTime();
        SplitAdjuster adjuster = new SplitAdjuster(config.calendar().zone());
        List<BarSeries> adjusted = raw.stream().map(s -> adjuster.adjust(s, market.actions().all())).toList();
        Map<String, String> adjustedProvenance = new TreeMap<>(provenance);
        adjustedProvenance.put("adjusted_from", rawStore.manifest().contentSha256());
        adjustedProvenance.put("corporate_actions_sha256", Sha256.ofFile(actions));
        BarStore bars = writeStore(dir.resolve("bars"), calendar, config, Adjustment.SPLIT, adjustedProvenance,
                adjusted, progress, "write adjusted");
        millis.put("write_adjusted", (System.nanoTime() - t2) / 1_000_000);

        long t3 = System.nanoTime();
        Path oracleDir = dir.resolve("oracle");
        try {
            Files.createDirectories(oracleDir);
            OracleFile.write(oracleDir.resolve(OracleFile.FILE), market.equities());
            Files.writeString(oracleDir.resolve("summary.json"), Json.SORTED_PRETTY.writeValueAsString(market.summary()) + "\n");
        } catch (IOException e) {
            throw new ForesailException("cannot write the oracle under " + oracleDir + ": " + e.getMessage(), e);
        }
        millis.put("write_oracle", (System.nanoTime() - t3) / 1_000_000);

        BarStore faulty = null;
        if (faultsPerKind > 0) {
            long t4 = System.nanoTime();
            FaultInjector.Outcome outcome = new FaultInjector(faultsPerKind, config.seed() ^ 0x5DEECE66DL).inject(adjusted);
            Map<String, String> faultProvenance = new TreeMap<>(adjustedProvenance);
            faultProvenance.put("faults_injected", Integer.toString(outcome.faults().size()));
            faulty = writeStore(dir.resolve("faulty"), calendar, config, Adjustment.SPLIT, faultProvenance,
                    outcome.series(), progress, "write faulty");
            writeFaults(dir.resolve("faults.csv"), outcome.faults());
            millis.put("write_faulty", (System.nanoTime() - t4) / 1_000_000);
        }
        LOG.info("synthetic market written to {}: {} bars, oracle rank IC {}", dir, market.totalBars(),
                market.summary().rankIcMean());
        return new Written(dir, rawStore, bars, faulty, oracleDir.resolve(OracleFile.FILE), market.summary(),
                market.totalBars(), millis);
    }

    private static BarStore writeStore(Path root, String calendar, SynthConfig config, Adjustment adjustment,
                                       Map<String, String> provenance, List<BarSeries> series, Progress progress,
                                       String stage) {
        BarStoreWriter writer = BarStoreWriter.create(root, calendar, config.timeframe(), adjustment, provenance);
        AtomicInteger done = new AtomicInteger();
        IntStream.range(0, series.size()).parallel().forEach(i -> {
            writer.put(series.get(i));
            progress.update(stage, done.incrementAndGet(), series.size());
        });
        return writer.commit();
    }

    static void writeFaults(Path file, List<InjectedFault> faults) {
        try (Writer w = Files.newBufferedWriter(file);
             CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                     .setHeader("symbol", "ts", "kind", "expected_rule", "detail").get())) {
            for (InjectedFault f : faults) {
                p.printRecord(f.symbol(), f.ts(), f.kind(), f.expectedRule() == null ? "" : f.expectedRule().key(),
                        f.detail());
            }
        } catch (IOException e) {
            throw new ForesailException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
