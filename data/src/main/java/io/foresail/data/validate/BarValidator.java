package io.foresail.data.validate;

import io.foresail.core.io.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.foresail.core.error.ForesailException;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.data.adjust.CorporateAction;
import io.foresail.data.store.Adjustment;
import io.foresail.data.store.BarSeries;
import io.foresail.data.store.BarStore;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a bar store against the {@link Rule}s (docs/data.md). Each row is judged in stored
 * order: its own values first (grid, prices, OHLC, volume), then its place in the sequence
 * (duplicate of an accepted timestamp, or not after the last accepted one). Series rules then
 * judge the accepted rows: gaps, coverage and unexplained overnight jumps. Nothing is dropped
 * without a reason: every refused row comes back in {@link ValidationResult#quarantined()}.
 */
public final class BarValidator {
    private static final Logger LOG = LoggerFactory.getLogger(BarValidator.class);
    private final ValidationConfig config;

    public BarValidator(ValidationConfig config) {
        this.config = config;
    }

    /** Validates every symbol of {@code store} (symbols in parallel). */
    public ValidationResult validate(BarStore store, ValidationMode mode) {
        Timeframe tf = store.timeframe();
        TradingCalendar cal = config.calendar();
        LocalDate from = config.from() != null ? config.from()
                : store.manifest().first() == null ? cal.firstDate() : cal.localDate(store.manifest().first());
        LocalDate to = config.to() != null ? config.to()
                : store.manifest().last() == null ? cal.firstDate() : cal.localDate(store.manifest().last());
        List<String> symbols = store.symbols();
        SymbolOutcome[] outcomes = new SymbolOutcome[symbols.size()];
        IntStream.range(0, outcomes.length).parallel().forEach(i ->
                outcomes[i] = validate(store.read(symbols.get(i)), tf, store.adjustment(), from, to));
        List<SymbolReport> reports = new ArrayList<>();
        List<BarSeries> accepted = new ArrayList<>();
        List<QuarantinedRow> quarantined = new ArrayList<>();
        for (SymbolOutcome o : outcomes) {
            reports.add(o.report);
            accepted.add(o.accepted);
            quarantined.addAll(o.quarantined);
        }
        boolean seriesOk = reports.stream().noneMatch(SymbolReport::hasSeriesViolations);
        boolean rowsOk = reports.stream().noneMatch(SymbolReport::hasRowViolations);
        boolean passed = seriesOk && (mode == ValidationMode.REPAIR || rowsOk);
        long rows = reports.stream().mapToLong(SymbolReport::rows).sum();
        long acc = reports.stream().mapToLong(SymbolReport::accepted).sum();
        TreeMap<String, Object> settings = new TreeMap<>();
        settings.put("calendar", cal.name());
        settings.put("max_gap_bars", config.maxGapBars());
        settings.put("min_coverage", config.minCoverage());
        settings.put("split_jump_threshold", config.splitJumpThreshold());
        settings.put("coverage_from", from.toString());
        settings.put("coverage_to", to.toString());
        settings.put("corporate_actions", config.corporateActions().all().size());
        ValidationReport report = new ValidationReport(store.root().toString(), tf.alpacaName(),
                mode.name().toLowerCase(Locale.ROOT), passed, rows, acc, rows - acc,
                ValidationReport.totalsOf(reports), settings, reports);
        LOG.info("validated {} symbols, {} rows: {} quarantined, passed={}", symbols.size(), rows, rows - acc, passed);
        return new ValidationResult(report, accepted, quarantined);
    }

    private record SymbolOutcome(SymbolReport report, BarSeries accepted, List<QuarantinedRow> quarantined) {
    }

    /** Validates one series; {@code from}..{@code to} is the coverage range. */
    SymbolOutcome validate(BarSeries s, Timeframe tf, Adjustment adjustment, LocalDate from, LocalDate to) {
        BarGrid grid = config.calendar().grid(tf);
        Map<Rule, Integer> counts = new EnumMap<>(Rule.class);
        List<QuarantinedRow> quarantined = new ArrayList<>();
        BarSeries.Builder kept = BarSeries.builder(s.symbol(), s.size());
        int[] keptGridIndex = new int[s.size()];
        BitSet seen = new BitSet(grid.size());
        long lastTs = Long.MIN_VALUE;
        List<Rule> broken = new ArrayList<>(4);
        List<String> why = new ArrayList<>(4);
        for (int i = 0; i < s.size(); i++) {
            broken.clear();
            why.clear();
            long ts = s.tsMicros(i);
            int g = ts % 1_000_000L == 0 ? grid.indexOf(Math.floorDiv(ts, 1_000_000L)) : -1;
            if (g < 0) {
                broken.add(Rule.OFF_GRID);
                why.add("ts " + instant(ts) + " is not a " + tf + " bar start of a " + config.calendar().name()
                        + " session");
            }
            checkPrices(s, i, broken, why);
            double v = s.volume(i);
            if (!(v >= 0) || Double.isInfinite(v) || s.tradeCount(i) < 0) {
                broken.add(Rule.VOLUME);
                why.add("volume " + v + ", trade_count " + s.tradeCount(i));
            }
            if (g >= 0) {
                if (seen.get(g)) {
                    broken.add(Rule.DUPLICATE);
                    why.add("duplicate of the accepted row at " + instant(ts));
                } else if (ts <= lastTs) {
                    broken.add(Rule.OUT_OF_ORDER);
                    why.add("ts " + instant(ts) + " is not after the previous accepted row's " + instant(lastTs));
                }
            }
            if (broken.isEmpty()) {
                keptGridIndex[kept.size()] = g;
                kept.add(s, i);
                seen.set(g);
                lastTs = ts;
            } else {
                for (Rule r : broken) {
                    counts.merge(r, 1, Integer::sum);
                }
                quarantined.add(new QuarantinedRow(s.bar(i), i, List.copyOf(broken), String.join("; ", why)));
            }
        }
        BarSeries accepted = kept.build();
        List<String> issues = new ArrayList<>();

        // Gaps between consecutive accepted rows, on the grid.
        int gaps = 0;
        int longest = 0;
        for (int k = 1; k < accepted.size(); k++) {
            int missing = keptGridIndex[k] - keptGridIndex[k - 1] - 1;
            if (missing > 0) {
                gaps++;
                longest = Math.max(longest, missing);
                if (missing > config.maxGapBars()) {
                    counts.merge(Rule.GAP, 1, Integer::sum);
                    if (issues.size() < 20) {
                        issues.add("gap of " + missing + " bars after " + accepted.start(k - 1)
                                + " (tolerance " + config.maxGapBars() + ")");
                    }
                }
            }
        }

        // Coverage of the expected grid over the range.
        int lo = grid.ceilingIndex(rangeStart(from));
        int hi = grid.ceilingIndex(rangeStart(to.plusDays(1)));
        long expected = Math.max(0, hi - lo);
        long present = 0;
        for (int k = 0; k < accepted.size(); k++) {
            if (keptGridIndex[k] >= lo && keptGridIndex[k] < hi) {
                present++;
            }
        }
        double coverage = expected == 0 ? 1.0 : (double) present / expected;
        if (coverage < config.minCoverage()) {
            counts.merge(Rule.COVERAGE, 1, Integer::sum);
            issues.add(String.format(Locale.ROOT, "coverage %.2f%% (%d of %d bars from %s to %s) is below %.2f%%",
                    100 * coverage, present, expected, from, to, 100 * config.minCoverage()));
        }

        // Overnight jumps: between the last accepted bar of one session and the first of a later one.
        int explained = 0;
        List<CorporateAction> splits = config.corporateActions().of(s.symbol());
        for (int k = 1; k < accepted.size(); k++) {
            if (grid.sessionIndexOf(keptGridIndex[k]) == grid.sessionIndexOf(keptGridIndex[k - 1])) {
                continue;
            }
            double ratio = accepted.open(k) / accepted.close(k - 1);
            if (Math.abs(ratio - 1) <= config.splitJumpThreshold()) {
                continue;
            }
            LocalDate prevDate = grid.sessionOf(keptGridIndex[k - 1]).date();
            LocalDate date = grid.sessionOf(keptGridIndex[k]).date();
            boolean isExplained = !adjustment.splitAdjusted() && splits.stream().anyMatch(a ->
                    a.exDate().isAfter(prevDate) && !a.exDate().isAfter(date)
                            && Math.abs(ratio * a.ratio() - 1) <= config.splitJumpThreshold());
            if (isExplained) {
                explained++;
            } else {
                counts.merge(Rule.SUSPECTED_SPLIT, 1, Integer::sum);
                issues.add(String.format(Locale.ROOT,
                        "overnight jump %+.1f%% from close %.4f on %s to open %.4f on %s with no corporate action"
                                + " to explain it: an unadjusted %s split?",
                        100 * (ratio - 1), accepted.close(k - 1), prevDate, accepted.open(k), date,
                        ratio < 1 ? String.format(Locale.ROOT, "%.0f-for-1", 1 / ratio)
                                : String.format(Locale.ROOT, "1-for-%.0f", ratio)));
            }
        }
        TreeMap<Rule, Integer> sorted = new TreeMap<>();
        for (Rule r : Rule.values()) {
            sorted.put(r, counts.getOrDefault(r, 0));
        }
        SymbolReport report = new SymbolReport(s.symbol(), s.size(), accepted.size(), quarantined.size(), sorted,
                gaps, longest, expected, coverage, explained, issues);
        return new SymbolOutcome(report, accepted, quarantined);
    }

    private long rangeStart(LocalDate date) {
        return date.atStartOfDay(config.calendar().zone()).toEpochSecond();
    }

    private static void checkPrices(BarSeries s, int i, List<Rule> broken, List<String> why) {
        double o = s.open(i);
        double h = s.high(i);
        double l = s.low(i);
        double c = s.close(i);
        double vw = s.vwap(i);
        String bad = badPrice("open", o) + badPrice("high", h) + badPrice("low", l) + badPrice("close", c)
                + (Double.isNaN(vw) ? "" : badPrice("vwap", vw));
        if (!bad.isEmpty()) {
            broken.add(Rule.PRICE);
            why.add(bad.trim());
            return;
        }
        if (!(l <= Math.min(o, c) && Math.max(o, c) <= h)) {
            broken.add(Rule.OHLC);
            why.add("open " + o + " high " + h + " low " + l + " close " + c + " break low <= open, close <= high");
        }
    }

    private static String badPrice(String field, double v) {
        return (v > 0 && Double.isFinite(v)) ? "" : field + " is " + v + " ";
    }

    private static String instant(long micros) {
        return Instant.EPOCH.plusNanos(micros * 1000L).toString();
    }

    /** Writes the report as JSON. */
    public static void writeReport(ValidationReport report, Path file) {
        try {
            Files.writeString(file, Json.PRETTY.writeValueAsString(report) + "\n");
        } catch (IOException e) {
            throw new ForesailException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes quarantined rows as CSV: the row's values, the rules it broke and why. */
    public static void writeQuarantine(List<QuarantinedRow> rows, Path file) {
        try (Writer w = Files.newBufferedWriter(file);
             CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                     .setHeader("symbol", "ts", "open", "high", "low", "close", "volume", "vwap", "trade_count",
                             "row", "rules", "reason").get())) {
            for (QuarantinedRow q : rows) {
                var b = q.bar();
                p.printRecord(b.symbol(), b.start(), b.open(), b.high(), b.low(), b.close(), b.volume(),
                        Double.isNaN(b.vwap()) ? "" : b.vwap(), b.tradeCount(), q.rowIndex(),
                        String.join("|", q.rules().stream().map(Rule::key).toList()), q.reason());
            }
        } catch (IOException e) {
            throw new ForesailException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
