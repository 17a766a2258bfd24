package io.foresail.pipelines.cli;

import io.foresail.core.io.Sha256;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.universe.Universe;
import io.foresail.data.adjust.CorporateActions;
import io.foresail.data.adjust.SplitAdjuster;
import io.foresail.data.alpaca.AlpacaBarImporter;
import io.foresail.alpaca.rest.AlpacaBarsClient;
import io.foresail.alpaca.rest.AlpacaCredentials;
import io.foresail.data.ingest.BarFileImporter;
import io.foresail.data.ingest.BarLabel;
import io.foresail.data.ingest.ColumnMapping;
import io.foresail.data.ingest.ImportSummary;
import io.foresail.data.store.Adjustment;
import io.foresail.data.store.BarStore;
import io.foresail.data.store.BarStoreManifest;
import io.foresail.data.store.BarStoreWriter;
import io.foresail.data.store.ContentHash;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SynthOutput;
import io.foresail.data.validate.BarValidator;
import io.foresail.data.validate.ValidationConfig;
import io.foresail.data.validate.ValidationMode;
import io.foresail.data.validate.ValidationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code foresail data ...}: generate, import, validate, adjust and describe bar stores. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Bar data: synthesize, import, validate, adjust, inspect.",
        subcommands = {DataCommand.Synth.class, DataCommand.ImportCmd.class, DataCommand.Validate.class,
                DataCommand.Adjust.class, DataCommand.Info.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static LocalDate date(String text, String option) {
        try {
            return LocalDate.parse(text);
        } catch (java.time.DateTimeException e) {
            throw new InvalidInputException(option + " is '" + text + "', expected YYYY-MM-DD");
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = "Generate a synthetic market with a known truth (raw and split-adjusted bar stores, "
                    + "corporate actions, oracle). Same seed, same bytes.")
    static final class Synth implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "Output directory (must not hold a market yet).")
        Path out;
        @Option(names = "--symbols", defaultValue = "50", description = "Number of equities (default ${DEFAULT-VALUE}); the benchmark comes on top.")
        int symbols;
        @Option(names = "--start", defaultValue = "2020-01-01", description = "First date (default ${DEFAULT-VALUE}).")
        String start;
        @Option(names = "--end", defaultValue = "2024-12-31", description = "Last date (default ${DEFAULT-VALUE}).")
        String end;
        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--alpha-ic", defaultValue = "0.03", description = "Planted alpha's target IC (default ${DEFAULT-VALUE}).")
        double alphaIc;
        @picocli.CommandLine.Mixin
        TimeframeOption timeframe;
        @Option(names = "--splits", defaultValue = "3", description = "Equities that get a split (default ${DEFAULT-VALUE}).")
        int splits;
        @Option(names = "--faults", description = "Also write faulty/, a copy with planted defects, and faults.csv.")
        boolean faults;
        @Option(names = "--faults-per-kind", defaultValue = "5", description = "Defects of each kind with --faults (default ${DEFAULT-VALUE}).")
        int faultsPerKind;
        @Option(names = "--universe", description = "Universe YAML (default: the embedded config/universe.yaml).")
        Path universe;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            SynthConfig config = SynthConfig.builder().universe(Universe.loadOrDefault(universe)).symbols(symbols)
                    .start(date(start, "--start")).end(date(end, "--end")).seed(seed).alphaIc(alphaIc)
                    .timeframe(timeframe.timeframe()).splits(splits).build();
            long t0 = System.nanoTime();
            SynthOutput.Written w = SynthOutput.write(out, config, faults ? faultsPerKind : 0,
                    new ConsoleProgress(System.err));
            double secs = (System.nanoTime() - t0) / 1e9;
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "synthetic market written to %s in %.1f s (%,d bars, %,.0f bars/s)%n", out, secs,
                    w.bars0(), w.bars0() / secs);
            o.printf(Locale.ROOT, "  raw bars:       %s (content %s)%n", w.raw().root(), shortHash(w.raw()));
            o.printf(Locale.ROOT, "  adjusted bars:  %s (content %s)%n", w.bars().root(), shortHash(w.bars()));
            o.printf(Locale.ROOT, "  oracle:         %s%n", w.oracle());
            o.printf(Locale.ROOT, "  oracle IC:      %.4f (rank %.4f ± %.4f), target %.4f%n", w.summary().icMean(),
                    w.summary().rankIcMean(), w.summary().rankIcStdErr(), w.summary().targetIc());
            if (w.faulty() != null) {
                o.printf(Locale.ROOT, "  faulty copy:    %s (planted defects in %s)%n", w.faulty().root(),
                        out.resolve("faults.csv"));
            }
            return 0;
        }
    }

    static String shortHash(BarStore s) {
        return s.manifest().contentSha256().substring(0, 16);
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Import bars from files or Alpaca.",
            subcommands = {ImportFiles.class, ImportAlpaca.class})
    static final class ImportCmd implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "csv", aliases = "parquet", mixinStandardHelpOptions = true,
            description = "Import CSV (.csv, .csv.gz) or Parquet bar files into a new bar store.")
    static final class ImportFiles implements Callable<Integer> {
        @Parameters(arity = "1..*", description = "Files, or directories of files, read in name order.")
        List<Path> inputs;
        @Option(names = "--out", required = true, description = "New bar store directory.")
        Path out;
        @Option(names = "--vendor", description = "Layout preset: alpaca, polygon, yfinance, tradestation.")
        String vendor;
        @Option(names = "--mapping", description = "Column mapping YAML (see docs/data.md).")
        Path mapping;
        @Option(names = "--tz", description = "Time zone of timestamps without an offset (overrides the mapping).")
        String zone;
        @Option(names = "--label", description = "Bar label: START or END (overrides the mapping).")
        BarLabel label;
        @Option(names = "--symbol", description = "Symbol of every row, for files without a symbol column.")
        String symbol;
        @picocli.CommandLine.Mixin
        TimeframeOption timeframe;
        @Option(names = "--adjustment", defaultValue = "raw", description = "What the files hold: raw, split, dividend, all (default ${DEFAULT-VALUE}).")
        String adjustment;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if ((vendor == null) == (mapping == null)) {
                throw new InvalidInputException("give exactly one of --vendor or --mapping");
            }
            ColumnMapping m = vendor != null ? ColumnMapping.Preset.parse(vendor).mapping() : ColumnMapping.load(mapping);
            if (zone != null) {
                m = m.withZone(zone);
            }
            if (label != null) {
                m = m.withLabel(label);
            }
            List<Path> files = new ArrayList<>();
            for (Path p : inputs) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.list(p)) {
                        s.filter(Files::isRegularFile).sorted().forEach(files::add);
                    }
                } else {
                    files.add(p);
                }
            }
            ImportSummary summary = new BarFileImporter(m, timeframe.timeframe(), TradingCalendar.nyse(), symbol)
                    .importFiles(files, out, Adjustment.parse(adjustment));
            print(spec.commandLine().getOut(), summary, "files", out);
            return 0;
        }
    }

    static void print(PrintWriter o, ImportSummary s, String unit, Path out) {
        o.printf(Locale.ROOT, "imported %,d of %,d rows from %d %s into %s%n", s.rowsStored(), s.rowsRead(), s.sources(),
                unit, out);
        if (s.outsideSession() > 0) {
            o.printf(Locale.ROOT, "  %,d pre- or post-market rows were outside the regular session and not stored%n",
                    s.outsideSession());
        }
        s.rowsPerSymbol().forEach((sym, n) -> o.printf(Locale.ROOT, "  %-8s %,d%n", sym, n));
        o.println("next: foresail data validate " + out);
    }

    @Command(name = "alpaca", mixinStandardHelpOptions = true,
            description = "Import historical bars from Alpaca's Market Data API (resumes into an existing store). "
                    + "Keys come from APCA_API_KEY_ID and APCA_API_SECRET_KEY.")
    static final class ImportAlpaca implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "Bar store directory (created, or resumed).")
        Path out;
        @Option(names = "--symbols", split = ",", description = "Symbols (default: the universe's, plus its benchmark).")
        List<String> symbols;
        @Option(names = "--universe", description = "Universe YAML (default: embedded).")
        Path universe;
        @Option(names = "--start", required = true, description = "First date, YYYY-MM-DD.")
        String start;
        @Option(names = "--end", required = true, description = "Last date, YYYY-MM-DD.")
        String end;
        @picocli.CommandLine.Mixin
        TimeframeOption timeframe;
        @Option(names = "--feed", defaultValue = "iex", description = "iex or sip (default ${DEFAULT-VALUE}).")
        String feed;
        @Option(names = "--adjustment", defaultValue = "split", description = "raw, split, dividend, all (default ${DEFAULT-VALUE}).")
        String adjustment;
        @Option(names = "--base-url", defaultValue = AlpacaBarsClient.DEFAULT_BASE_URL, description = "Data API base URL (default ${DEFAULT-VALUE}).")
        String baseUrl;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!feed.equals("iex") && !feed.equals("sip")) {
                throw new InvalidInputException("--feed must be iex or sip, got '" + feed + "'");
            }
            List<String> list = symbols != null ? symbols.stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).toList()
                    : Universe.loadOrDefault(universe).allSymbols();
            AlpacaBarsClient client = AlpacaBarsClient.builder(AlpacaCredentials.fromEnvironment()).baseUrl(baseUrl).build();
            ImportSummary summary = new AlpacaBarImporter(client, TradingCalendar.nyse(), AlpacaBarImporter.PAGE_LIMIT)
                    .run(out, new AlpacaBarImporter.Request(list, timeframe.timeframe(), date(start, "--start"),
                            date(end, "--end"), feed, Adjustment.parse(adjustment)), new ConsoleProgress(System.err));
            print(spec.commandLine().getOut(), summary, "pages", out);
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Validate a bar store (the rules of docs/data.md). Prints a per-symbol report and writes it as JSON. "
                    + "Exit 0 when it passes, 3 when it fails.")
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", description = "Bar store directory.")
        Path dir;
        @Option(names = "--repair", description = "Quarantine violating rows and write the rest as a new store.")
        boolean repair;
        @Option(names = "--out", description = "With --repair: the repaired store (default: DIR-repaired).")
        Path out;
        @Option(names = "--report", description = "JSON report path (default: DIR-validation.json beside the store).")
        Path report;
        @Option(names = "--actions", description = "Corporate-actions CSV that explains splits in raw bars.")
        Path actions;
        @Option(names = "--max-gap", defaultValue = "5", description = "Longest tolerated run of missing bars (default ${DEFAULT-VALUE}).")
        int maxGap;
        @Option(names = "--min-coverage", defaultValue = "0.95", description = "Least share of expected bars (default ${DEFAULT-VALUE}).")
        double minCoverage;
        @Option(names = "--split-threshold", defaultValue = "0.40", description = "Overnight jump flagged as a suspected split (default ${DEFAULT-VALUE}).")
        double splitThreshold;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            BarStore store = BarStore.open(dir);
            ValidationConfig config = ValidationConfig.builder().maxGapBars(maxGap).minCoverage(minCoverage)
                    .splitJumpThreshold(splitThreshold)
                    .corporateActions(actions == null ? CorporateActions.none() : CorporateActions.load(actions))
                    .build();
            ValidationResult result = new BarValidator(config)
                    .validate(store, repair ? ValidationMode.REPAIR : ValidationMode.STRICT);
            PrintWriter o = spec.commandLine().getOut();
            o.println(result.report().toText());
            Path base = dir.toAbsolutePath().normalize();
            Path reportFile = report != null ? report : base.resolveSibling(base.getFileName() + "-validation.json");
            BarValidator.writeReport(result.report(), reportFile);
            o.println("report: " + reportFile);
            if (repair) {
                Path target = out != null ? out : base.resolveSibling(base.getFileName() + "-repaired");
                Map<String, String> provenance = new TreeMap<>(store.manifest().provenance());
                provenance.put("repaired_from", store.manifest().contentSha256());
                provenance.put("quarantined_rows", Long.toString(result.report().quarantined()));
                BarStoreWriter writer = BarStoreWriter.create(target, store.manifest().calendar(), store.timeframe(),
                        store.adjustment(), provenance);
                result.accepted().parallelStream().forEach(writer::put);
                writer.commit();
                Path quarantine = target.resolve("quarantine.csv");
                BarValidator.writeQuarantine(result.quarantined(), quarantine);
                o.printf(Locale.ROOT, "repaired store: %s (%,d rows kept, %,d quarantined in %s)%n", target,
                        result.report().accepted(), result.report().quarantined(), quarantine);
            }
            return result.report().passed() ? 0 : ForesailCli.EXIT_CHECK_FAILED;
        }
    }

    @Command(name = "adjust", mixinStandardHelpOptions = true,
            description = "Back-adjust a raw bar store for splits into a new store.")
    static final class Adjust implements Callable<Integer> {
        @Parameters(index = "0", description = "Raw bar store directory.")
        Path dir;
        @Option(names = "--actions", required = true, description = "Corporate-actions CSV: symbol,date,ratio.")
        Path actions;
        @Option(names = "--out", required = true, description = "New adjusted store directory.")
        Path out;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            BarStore raw = BarStore.open(dir);
            if (raw.adjustment() != Adjustment.RAW) {
                throw new InvalidInputException(dir + " holds " + raw.adjustment().wireName()
                        + "-adjusted bars; adjust works on raw bars only");
            }
            CorporateActions ca = CorporateActions.load(actions);
            SplitAdjuster adjuster = new SplitAdjuster(TradingCalendar.nyse().zone());
            Map<String, String> provenance = new TreeMap<>(raw.manifest().provenance());
            provenance.put("adjusted_from", raw.manifest().contentSha256());
            provenance.put("corporate_actions_sha256", Sha256.ofFile(actions));
            BarStoreWriter writer = BarStoreWriter.create(out, raw.manifest().calendar(), raw.timeframe(),
                    Adjustment.SPLIT, provenance);
            raw.symbols().parallelStream().forEach(s -> writer.put(adjuster.adjust(raw.read(s), ca.all())));
            BarStore adjusted = writer.commit();
            spec.commandLine().getOut().printf(Locale.ROOT, "adjusted %d symbols for %d splits into %s (content %s)%n",
                    adjusted.symbols().size(), ca.all().size(), out, shortHash(adjusted));
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a bar store: symbols, range, rows, hash.")
    static final class Info implements Callable<Integer> {
        @Parameters(index = "0", description = "Bar store directory.")
        Path dir;
        @Option(names = "--verify", description = "Re-read every file and check it against the manifest's hashes.")
        boolean verify;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            BarStore store = BarStore.open(dir);
            BarStoreManifest m = store.manifest();
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "bar store:   %s%n", dir);
            o.printf(Locale.ROOT, "timeframe:   %s on %s, adjustment %s%n", m.timeframe(), m.calendar(), m.adjustment().wireName());
            o.printf(Locale.ROOT, "range:       %s .. %s%n", m.first(), m.last());
            o.printf(Locale.ROOT, "rows:        %,d in %d symbols%n", m.rows(), m.symbols().size());
            o.printf(Locale.ROOT, "content:     sha256:%s%n", m.contentSha256());
            o.printf(Locale.ROOT, "provenance:  %s%n", m.provenance());
            for (BarStoreManifest.SymbolEntry e : m.symbols()) {
                o.printf(Locale.ROOT, "  %-8s %,9d  %s .. %s%n", e.symbol(), e.rows(), e.first(), e.last());
            }
            if (verify) {
                List<String> problems = store.verify();
                problems.forEach(p -> o.println("  PROBLEM " + p));
                o.println(problems.isEmpty() ? "verified: every file matches the manifest" : "verification FAILED");
                return problems.isEmpty() ? 0 : ForesailCli.EXIT_CHECK_FAILED;
            }
            return 0;
        }
    }
}
