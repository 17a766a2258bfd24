package io.foresail.pipelines.features;

import io.foresail.core.error.ForesailException;
import io.foresail.core.io.Directories;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.universe.Equity;
import io.foresail.core.universe.Universe;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import io.foresail.data.validate.BarValidator;
import io.foresail.data.validate.ValidationConfig;
import io.foresail.data.validate.ValidationMode;
import io.foresail.data.validate.ValidationResult;
import io.foresail.features.batch.FeatureBatch;
import io.foresail.features.batch.SymbolBars;
import io.foresail.features.context.BenchmarkReturns;
import io.foresail.features.context.SectorIndex;
import io.foresail.features.kernel.Feature;
import io.foresail.features.kernel.Requirement;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.set.FeatureSetId;
import io.foresail.features.set.FeatureSetManifest;
import io.foresail.features.set.FeatureStats;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.features.spec.FeatureSetSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The Spark job that builds a feature set {@code <out>/<name>/<id>/} from a bar store. It runs the
 * three passes of {@link FeatureBatch} as Spark stages: per symbol (sorted in time), per month
 * across symbols (the cross-sections), per symbol again (all kernels, context, labels), each task
 * writing its symbol's Parquet part. Every check on the inputs runs before Spark starts. The
 * result is written under a temporary name and renamed into place, so a version is either
 * complete or absent, and an existing id is never rewritten.
 */
public final class FeatureSetJob {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureSetJob.class);

    private FeatureSetJob() {
    }

    /** What to build. */
    public record Request(Path bars, FeatureSetSpec spec, Path out, Universe universe, String master) {
        public Request {
            Objects.requireNonNull(bars, "bars");
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(out, "out");
            universe = universe == null ? Universe.defaultUniverse() : universe;
            master = master == null ? "local[*]" : master;
        }
    }

    /**
     * What was built (or found).
     *
     * @param existed       the id was already there; nothing was written
     * @param sparkSeconds  Spark start-up (context creation) time
     * @param computeSeconds the passes and writing, after start-up
     */
    public record Result(String name, String id, Path dir, boolean existed, long rows, int symbols, int columns,
                         double checkSeconds, double sparkSeconds, double computeSeconds) {
        public long values() {
            return rows * columns;
        }
    }

    /** A plan checked against a bar store, and the id it would get: everything decided before work. */
    public record Prepared(FeaturePlan plan, BarStore store, List<String> equities, String id, Path dir,
                           JobContext context, com.fasterxml.jackson.databind.JsonNode planDocument) {
    }

    /** Checks every input and computes the id; throws {@link InvalidInputException} naming the problem. */
    public static Prepared prepare(Request r) {
        if (!BarStore.exists(r.bars())) {
            throw new InvalidInputException(r.bars() + " is not a bar store (no " + BarStore.MANIFEST
                    + "); create one with foresail data synth|import");
        }
        BarStore store = BarStore.open(r.bars());
        FeaturePlan plan = FeaturePlan.resolve(r.spec(), FeatureLibrary.standard());
        Timeframe tf = store.timeframe();
        String benchmark = r.universe().benchmark().symbol();
        List<String> equities = new ArrayList<>();
        for (String s : store.symbols()) {
            if (s.equals(benchmark)) {
                continue;
            }
            if (r.universe().equity(s).isEmpty()) {
                throw new InvalidInputException(r.bars() + ": symbol " + s + " is not in the universe; add it to "
                        + "config/universe.yaml (with its sector) or pass --universe");
            }
            equities.add(s);
        }
        equities.sort(String::compareTo);
        if (equities.isEmpty()) {
            throw new InvalidInputException(r.bars() + " holds no equities of the universe");
        }
        if (plan.needsBenchmark() && !store.symbols().contains(benchmark)) {
            throw new InvalidInputException(r.bars() + " has no bars of the benchmark " + benchmark + ", which "
                    + (plan.requirements().contains(Requirement.BENCHMARK) ? "benchmark-relative features" : "excess-return labels")
                    + " need; import it or drop them from the spec");
        }
        if (plan.requirements().contains(Requirement.INTRADAY) && !tf.isIntraday()) {
            String names = plan.features().stream().filter(f -> f.requirements().contains(Requirement.INTRADAY))
                    .map(Feature::name).limit(3).toList().toString();
            throw new InvalidInputException("the bar store's timeframe is " + tf + ", but intraday features " + names
                    + " need intraday bars; drop the intra group from the spec");
        }
        int shortest = Integer.MAX_VALUE;
        String shortestSymbol = null;
        for (String s : equities) {
            long rows = store.entry(s).orElseThrow().rows();
            if (rows < shortest) {
                shortest = (int) rows;
                shortestSymbol = s;
            }
        }
        Feature longest = plan.features().stream().max(Comparator.comparingInt(Feature::warmUp)).orElseThrow();
        if (longest.warmUp() > shortest) {
            throw new InvalidInputException("feature " + longest.name() + " needs " + longest.warmUp()
                    + " bars to warm up, but " + shortestSymbol + " has only " + shortest
                    + " bars; use a shorter window or more data");
        }
        ValidationResult validation = new BarValidator(ValidationConfig.builder().build())
                .validate(store, ValidationMode.STRICT);
        if (!validation.report().passed()) {
            throw new InvalidInputException(r.bars() + " fails validation; run foresail data validate "
                    + r.bars() + " (--repair quarantines bad rows):\n" + validation.report().toText());
        }
        Map<String, String> sectors = new TreeMap<>();
        for (Equity e : r.universe().equities()) {
            if (equities.contains(e.symbol())) {
                sectors.put(e.symbol(), e.sector().name());
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode planDocument = FeatureSetId.plan(plan, tf.toString(), sectors, benchmark);
        String id = FeatureSetId.compute(FeatureSetId.planHash(planDocument), store.manifest().contentSha256());
        BenchmarkReturns bench = BenchmarkReturns.none();
        if (store.symbols().contains(benchmark)) {
            SymbolBars b = toSymbolBars(store.read(benchmark));
            bench = new BenchmarkReturns(b.ts(), b.close());
        }
        SectorIndex sectorIndex = SectorIndex.of(r.universe());
        JobContext context = new JobContext(r.bars().toAbsolutePath().toString(),
                FeatureSetId.specJson(r.spec()).toString(), tf.toString(), bench,
                new TreeMap<>(sectorIndex.bySymbol()), sectorIndex.count(), id,
                plan.featureNames(), plan.labels().names());
        return new Prepared(plan, store, equities, id, r.out().resolve(plan.name()).resolve(id), context, planDocument);
    }

    public static Result run(Request r) {
        long t0 = System.nanoTime();
        Prepared p = prepare(r);
        double checkSeconds = seconds(t0);
        if (Files.isDirectory(p.dir())) {
            FeatureSetManifest m = FeatureSetManifest.read(p.dir());
            LOG.info("feature set {}/{} already exists at {}; nothing to do", p.plan().name(), p.id(), p.dir());
            return new Result(m.name(), m.id(), p.dir(), true, m.rows(), m.symbols().size(),
                    m.features().size() + m.labels().size(), checkSeconds, 0, 0);
        }
        Path parent = p.dir().getParent();
        Path tmp = parent.resolve(".tmp-" + p.id() + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectories(tmp.resolve("data"));
        } catch (IOException e) {
            throw new ForesailException("cannot create " + tmp + ": " + e.getMessage(), e);
        }
        long t1 = System.nanoTime();
        SparkConf conf = new SparkConf()
                .setAppName("foresail-features-" + p.plan().name())
                .setMaster(r.master())
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        List<PartResult> parts;
        double sparkSeconds;
        double computeSeconds;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            sparkSeconds = seconds(t1);
            long t2 = System.nanoTime();
            parts = runPasses(sc, p, tmp.resolve("data").toAbsolutePath().toString());
            computeSeconds = seconds(t2);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
        parts.sort(Comparator.comparing(PartResult::symbol));
        FeatureSetManifest manifest = manifest(p, parts);
        try {
            Files.write(tmp.resolve(FeatureSetManifest.FILE), manifest.toJson());
            Files.move(tmp, p.dir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            deleteQuietly(tmp);
            LOG.info("feature set {}/{} appeared while building; keeping the existing one", p.plan().name(), p.id());
            return new Result(p.plan().name(), p.id(), p.dir(), true, manifest.rows(), parts.size(),
                    p.plan().width() + p.plan().labels().names().size(), checkSeconds, sparkSeconds, computeSeconds);
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(tmp);
            throw new ForesailException("cannot publish " + p.dir() + " atomically: " + e.getMessage(), e);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new ForesailException("cannot publish " + p.dir() + ": " + e.getMessage(), e);
        }
        LOG.info("built feature set {}/{}: {} rows x {} columns in {} s (Spark start-up {} s)", p.plan().name(), p.id(),
                manifest.rows(), p.plan().width(), String.format("%.1f", computeSeconds), String.format("%.1f", sparkSeconds));
        return new Result(p.plan().name(), p.id(), p.dir(), false, manifest.rows(), parts.size(),
                p.plan().width() + p.plan().labels().names().size(), checkSeconds, sparkSeconds, computeSeconds);
    }

    private static List<PartResult> runPasses(JavaSparkContext sc, Prepared p, String dataDir) {
        JobContext ctx = p.context();
        List<String> symbols = p.equities();
        int monthPartitions = Math.max(2, sc.defaultParallelism() * 2);
        JavaPairRDD<Integer, FeatureBatch.SourceChunk> sources = sc.parallelize(symbols, symbols.size())
                .flatMap(s -> ctx.batch().symbolPass(ctx.bars(s)).iterator())
                .mapToPair(c -> new Tuple2<>(c.month(), c));
        JavaPairRDD<String, FeatureBatch.ContextChunk> context = sources
                .groupByKey(monthPartitions)
                .flatMap(m -> {
                    List<FeatureBatch.SourceChunk> chunks = new ArrayList<>();
                    m._2().forEach(chunks::add);
                    return ctx.batch().monthPass(m._1(), chunks).iterator();
                })
                .mapToPair(c -> new Tuple2<>(c.symbol(), c));
        return new ArrayList<>(context
                .groupByKey(symbols.size())
                .map(s -> {
                    List<FeatureBatch.ContextChunk> chunks = new ArrayList<>();
                    s._2().forEach(chunks::add);
                    FeatureBatch.SymbolColumns cols = ctx.batch().featurePass(ctx.bars(s._1()), chunks);
                    FeatureSetWriter.write(Path.of(dataDir, FeatureSetWriter.partName(s._1())), cols,
                            ctx.featureNames(), ctx.labelNames(), ctx.id());
                    return PartResult.of(cols);
                })
                .collect());
    }

    private static FeatureSetManifest manifest(Prepared p, List<PartResult> parts) {
        FeaturePlan plan = p.plan();
        int nf = plan.width();
        int nl = plan.labels().names().size();
        FeatureStats.Accumulator[] stats = new FeatureStats.Accumulator[nf + nl];
        for (int k = 0; k < stats.length; k++) {
            stats[k] = new FeatureStats.Accumulator();
        }
        long rows = 0;
        long dropped = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        List<String> files = new ArrayList<>();
        for (PartResult part : parts) {
            for (int k = 0; k < stats.length; k++) {
                stats[k].merge(part.stats()[k]);
            }
            rows += part.rows();
            dropped += part.dropped();
            if (part.rows() > 0) {
                first = Math.min(first, part.first());
                last = Math.max(last, part.last());
            }
            files.add("data/" + FeatureSetWriter.partName(part.symbol()));
        }
        List<FeatureSetManifest.Column> features = new ArrayList<>();
        for (int k = 0; k < plan.features().size(); k++) {
            Feature f = plan.features().get(k);
            features.add(new FeatureSetManifest.Column(f.name(), f.description(), f.warmUp(), stats[k].result()));
        }
        for (int k = 0; k < plan.crossSectional().size(); k++) {
            FeaturePlan.CrossSectional x = plan.crossSectional().get(k);
            Feature src = plan.features().get(x.sourceIndex());
            features.add(new FeatureSetManifest.Column(x.name(), "cross-sectional " + x.op() + " of " + x.source()
                    + " across the universe's equities at each bar", src.warmUp(),
                    stats[plan.features().size() + k].result()));
        }
        List<FeatureSetManifest.Column> labels = new ArrayList<>();
        for (int k = 0; k < nl; k++) {
            labels.add(new FeatureSetManifest.Column(plan.labels().names().get(k),
                    "label: future bars only, never an input", 0, stats[nf + k].result()));
        }
        return new FeatureSetManifest(FeatureSetManifest.FORMAT, plan.name(), p.id(), FeatureSetId.specJson(plan.spec()),
                p.store().timeframe().toString(), features, labels, parts.stream().map(PartResult::symbol).toList(),
                rows, dropped, rows == 0 ? null : micros(first), rows == 0 ? null : micros(last), files,
                p.store().manifest().contentSha256(), FeaturePlan.ENGINE_VERSION, plan.kernelVersions(), p.planDocument(),
                FeatureSetId.planHash(p.planDocument()));
    }

    private static String micros(long ts) {
        return Instant.EPOCH.plusNanos(ts * 1000).toString();
    }

    static SymbolBars toSymbolBars(BarSeries s) {
        return new SymbolBars(s.symbol(), s.tsColumn(), s.openColumn(), s.highColumn(), s.lowColumn(), s.closeColumn(),
                s.volumeColumn(), s.vwapColumn());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void deleteQuietly(Path dir) {
        if (!Directories.deleteQuietly(dir)) {
            LOG.warn("could not remove {}", dir);
        }
    }

    /** What executors need, serialisable; the plan is rebuilt from the spec on each executor. */
    public record JobContext(String barsRoot, String specJson, String timeframe, BenchmarkReturns benchmark,
                             TreeMap<String, Integer> sectorOf, int sectors, String id, List<String> featureNames,
                             List<String> labelNames) implements Serializable {
        private static final Map<String, FeatureBatch> BATCHES = new java.util.concurrent.ConcurrentHashMap<>();

        FeatureBatch batch() {
            return BATCHES.computeIfAbsent(id + "|" + barsRoot, k -> new FeatureBatch(
                    FeaturePlan.resolve(FeatureSetId.specFromJson(specJson), FeatureLibrary.standard()),
                    TradingCalendar.nyse().grid(Timeframe.parse(timeframe)), benchmark, sectorOf, sectors));
        }

        SymbolBars bars(String symbol) {
            return toSymbolBars(BarStore.open(Path.of(barsRoot)).read(symbol));
        }
    }

    /** A task's summary of the part it wrote. */
    record PartResult(String symbol, int rows, int dropped, long first, long last, FeatureStats.Accumulator[] stats)
            implements Serializable {
        static PartResult of(FeatureBatch.SymbolColumns cols) {
            int n = cols.rows();
            FeatureStats.Accumulator[] stats = new FeatureStats.Accumulator[cols.features().length + cols.labels().length];
            for (int k = 0; k < cols.features().length; k++) {
                stats[k] = new FeatureStats.Accumulator();
                stats[k].addAll(cols.features()[k]);
            }
            for (int k = 0; k < cols.labels().length; k++) {
                stats[cols.features().length + k] = new FeatureStats.Accumulator();
                stats[cols.features().length + k].addAll(cols.labels()[k]);
            }
            return new PartResult(cols.symbol(), n, cols.dropped(), n == 0 ? 0 : cols.ts()[0], n == 0 ? 0 : cols.ts()[n - 1], stats);
        }
    }
}
