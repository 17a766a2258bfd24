package io.foresail.data.validate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a validation run found: per symbol and in total, with the verdict. Printed as a table by
 * {@link #toText()} and written as JSON (see {@code BarValidator}).
 *
 * @param mode    {@code strict} (any violation fails) or {@code repair} (row violations are quarantined;
 *                series violations still fail, since no row can be dropped to mend them)
 * @param passed  the verdict under {@code mode}
 */
@JsonPropertyOrder({"store", "timeframe", "mode", "passed", "rows", "accepted", "quarantined", "totals",
        "settings", "symbols"})
public record ValidationReport(
        @JsonProperty("store") String store,
        @JsonProperty("timeframe") String timeframe,
        @JsonProperty("mode") String mode,
        @JsonProperty("passed") boolean passed,
        @JsonProperty("rows") long rows,
        @JsonProperty("accepted") long accepted,
        @JsonProperty("quarantined") long quarantined,
        @JsonProperty("totals") SortedMap<Rule, Integer> totals,
        @JsonProperty("settings") SortedMap<String, Object> settings,
        @JsonProperty("symbols") List<SymbolReport> symbols) {

    static SortedMap<Rule, Integer> totalsOf(List<SymbolReport> symbols) {
        Map<Rule, Integer> m = new EnumMap<>(Rule.class);
        for (Rule r : Rule.values()) {
            m.put(r, 0);
        }
        for (SymbolReport s : symbols) {
            s.violations().forEach((r, n) -> m.merge(r, n, Integer::sum));
        }
        return new TreeMap<>(m);
    }

    public int total(Rule rule) {
        return totals.getOrDefault(rule, 0);
    }

    /** A fixed-width table, one line per symbol, then the verdict and each series issue. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-8s %8s %8s %6s", "symbol", "rows", "accepted", "quar"));
        for (Rule r : Rule.values()) {
            sb.append(String.format(Locale.ROOT, " %8s", abbreviate(r)));
        }
        sb.append(String.format(Locale.ROOT, " %7s %8s%n", "longgap", "coverage"));
        for (SymbolReport s : symbols) {
            sb.append(String.format(Locale.ROOT, "%-8s %8d %8d %6d", s.symbol(), s.rows(), s.accepted(),
                    s.quarantined()));
            for (Rule r : Rule.values()) {
                sb.append(String.format(Locale.ROOT, " %8d", s.count(r)));
            }
            sb.append(String.format(Locale.ROOT, " %7d %7.2f%%%n", s.longestGap(), 100 * s.coverage()));
        }
        sb.append(String.format(Locale.ROOT, "%-8s %8d %8d %6d", "TOTAL", rows, accepted, quarantined));
        for (Rule r : Rule.values()) {
            sb.append(String.format(Locale.ROOT, " %8d", total(r)));
        }
        sb.append(System.lineSeparator());
        for (SymbolReport s : symbols) {
            for (String issue : s.issues()) {
                sb.append("  ").append(s.symbol()).append(": ").append(issue).append(System.lineSeparator());
            }
        }
        sb.append(passed ? "PASSED" : "FAILED").append(" (").append(mode).append(" mode)");
        return sb.toString();
    }

    private static String abbreviate(Rule r) {
        String k = r.key().replace("_", "");
        return k.length() <= 8 ? k : k.substring(0, 8);
    }
}
