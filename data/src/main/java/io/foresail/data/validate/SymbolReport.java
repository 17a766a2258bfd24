package io.foresail.data.validate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.SortedMap;

/**
 * Validation of one symbol.
 *
 * @param violations     rule key to number of violations (rows for row rules, gaps or jumps for series rules)
 * @param gaps           runs of missing bars between accepted rows, whatever their length
 * @param longestGap     the longest such run, in bars
 * @param expectedBars   bars the calendar has in the coverage range
 * @param coverage       accepted rows on the grid / expected bars
 * @param splitsExplained overnight jumps matched by a corporate action
 * @param issues         readable descriptions of the series-rule violations
 */
@JsonPropertyOrder({"symbol", "rows", "accepted", "quarantined", "violations", "gaps", "longest_gap",
        "expected_bars", "coverage", "splits_explained", "issues"})
public record SymbolReport(
        @JsonProperty("symbol") String symbol,
        @JsonProperty("rows") int rows,
        @JsonProperty("accepted") int accepted,
        @JsonProperty("quarantined") int quarantined,
        @JsonProperty("violations") SortedMap<Rule, Integer> violations,
        @JsonProperty("gaps") int gaps,
        @JsonProperty("longest_gap") int longestGap,
        @JsonProperty("expected_bars") long expectedBars,
        @JsonProperty("coverage") double coverage,
        @JsonProperty("splits_explained") int splitsExplained,
        @JsonProperty("issues") List<String> issues) {

    public int count(Rule rule) {
        return violations.getOrDefault(rule, 0);
    }

    public boolean hasSeriesViolations() {
        return violations.entrySet().stream().anyMatch(e -> !e.getKey().isRowRule() && e.getValue() > 0);
    }

    public boolean hasRowViolations() {
        return quarantined > 0;
    }
}
