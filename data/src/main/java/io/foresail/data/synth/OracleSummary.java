package io.foresail.data.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How well the planted alpha's oracle predicts: the per-bar cross-sectional correlation between
 * the oracle's expected next-bar return and the realised next-bar log return (adjusted close to
 * close), over the equities (not the benchmark), averaged over bars.
 *
 * @param targetIc     the requested {@code --alpha-ic}
 * @param kappa        the alpha scale the generator derived from the target
 * @param icMean       mean Pearson IC
 * @param rankIcMean   mean Spearman (rank) IC
 * @param rankIcStd    standard deviation of the per-bar rank IC
 * @param rankIcStdErr standard error of {@code rankIcMean}
 * @param rankIcir     {@code rankIcMean / rankIcStd}, per bar
 * @param bars         bars averaged over
 * @param symbols      equities in each cross-section
 */
@JsonPropertyOrder({"target_ic", "kappa", "ic_mean", "rank_ic_mean", "rank_ic_std", "rank_ic_stderr",
        "rank_icir", "bars", "symbols", "definition"})
public record OracleSummary(
        @JsonProperty("target_ic") double targetIc,
        @JsonProperty("kappa") double kappa,
        @JsonProperty("ic_mean") double icMean,
        @JsonProperty("rank_ic_mean") double rankIcMean,
        @JsonProperty("rank_ic_std") double rankIcStd,
        @JsonProperty("rank_ic_stderr") double rankIcStdErr,
        @JsonProperty("rank_icir") double rankIcir,
        @JsonProperty("bars") int bars,
        @JsonProperty("symbols") int symbols,
        @JsonProperty("definition") String definition) {

    static final String DEFINITION = "mean over bars t of the cross-sectional correlation, over equities, of"
            + " oracle expected_return(t) with ln(close(t+1)/close(t)) on split-adjusted closes;"
            + " see docs/synthetic-market.md";
}
