package io.foresail.training.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.stats.Correlation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Out-of-sample quality of predictions over a set of rows ordered by bar time.
 *
 * <ul>
 *   <li>{@code ic}, {@code rankIc}: the mean over bars of the cross-sectional Pearson / Spearman
 *       correlation of prediction and label (bars with fewer than 3 pairs are skipped);
 *       {@code rankIcStd} their deviation, {@code icir} = mean / deviation (per bar, not annualised),
 *       {@code rankIcStderr} = deviation / sqrt(bars).</li>
 *   <li>{@code mse} for regressors; {@code auc} and {@code logLoss} for classifiers (label 0/1).</li>
 *   <li>{@code hitRate}: share of rows where the prediction's side matches the label's (sign for
 *       regressors, p &gt; 0.5 for classifiers).</li>
 *   <li>{@code sharpeGross}, {@code sharpeNet}: the annualised (√252) Sharpe ratio of a portfolio
 *       rebalanced once a day at the session's first bar: long the top decile of predictions, short
 *       the bottom decile, equal weights, held for one day (the 26-bar forward return); net of
 *       {@code costBps} per unit of traded weight.</li>
 * </ul>
 */
public record Evaluation(
        @JsonProperty("rows") int rows,
        @JsonProperty("bars") int bars,
        @JsonProperty("ic") double ic,
        @JsonProperty("rank_ic") double rankIc,
        @JsonProperty("rank_ic_std") double rankIcStd,
        @JsonProperty("rank_ic_stderr") double rankIcStderr,
        @JsonProperty("icir") double icir,
        @JsonProperty("mse") double mse,
        @JsonProperty("auc") double auc,
        @JsonProperty("log_loss") double logLoss,
        @JsonProperty("hit_rate") double hitRate,
        @JsonProperty("days") int days,
        @JsonProperty("sharpe_gross") double sharpeGross,
        @JsonProperty("sharpe_net") double sharpeNet) {

    /**
     * @param ts             row times (epoch micros), ascending
     * @param symbol         row symbols (any consistent index)
     * @param prediction     per row
     * @param label          per row, finite
     * @param dayReturn      per row, the forward return over one session (may hold NaN), or null
     * @param classification whether predictions are probabilities of label 1
     * @param costBps        cost per unit of traded weight, in basis points
     */
    public static Evaluation of(long[] ts, int[] symbol, double[] prediction, double[] label, double[] dayReturn,
                                boolean classification, double costBps) {
        int n = ts.length;
        double sumIc = 0;
        double sumRank = 0;
        double sumRank2 = 0;
        int bars = 0;
        for (int from = 0; from < n; ) {
            int to = from;
            while (to < n && ts[to] == ts[from]) {
                to++;
            }
            if (to - from >= 3) {
                double[] p = Arrays.copyOfRange(prediction, from, to);
                double[] y = Arrays.copyOfRange(label, from, to);
                double ic = Correlation.pearson(p, y);
                double rank = Correlation.spearman(p, y);
                if (!Double.isNaN(ic) && !Double.isNaN(rank)) {
                    sumIc += ic;
                    sumRank += rank;
                    sumRank2 += rank * rank;
                    bars++;
                }
            }
            from = to;
        }
        double meanIc = bars == 0 ? Double.NaN : sumIc / bars;
        double meanRank = bars == 0 ? Double.NaN : sumRank / bars;
        double sd = bars < 2 ? Double.NaN : Math.sqrt(Math.max(0, (sumRank2 - bars * meanRank * meanRank) / (bars - 1)));

        double mse = Double.NaN;
        double auc = Double.NaN;
        double logLoss = Double.NaN;
        int hits = 0;
        if (classification) {
            double ll = 0;
            for (int i = 0; i < n; i++) {
                double p = Math.min(1 - 1e-15, Math.max(1e-15, prediction[i]));
                ll -= label[i] > 0.5 ? Math.log(p) : Math.log(1 - p);
                hits += (prediction[i] > 0.5) == (label[i] > 0.5) ? 1 : 0;
            }
            logLoss = n == 0 ? Double.NaN : ll / n;
            auc = auc(prediction, label);
        } else {
            double se = 0;
            for (int i = 0; i < n; i++) {
                double e = prediction[i] - label[i];
                se += e * e;
                hits += Math.signum(prediction[i]) == Math.signum(label[i]) && label[i] != 0 ? 1 : 0;
            }
            mse = n == 0 ? Double.NaN : se / n;
        }
        double[] sharpe = dayReturn == null ? new double[] {Double.NaN, Double.NaN, 0}
                : LongShortPortfolio.sharpe(ts, symbol, prediction, dayReturn, costBps);
        return new Evaluation(n, bars, meanIc, meanRank, sd, sd / Math.sqrt(bars), meanRank / sd, mse, auc, logLoss,
                n == 0 ? Double.NaN : (double) hits / n, (int) sharpe[2], sharpe[0], sharpe[1]);
    }

    /** Area under the ROC curve (ties counted half), by ranking. */
    static double auc(double[] score, double[] label) {
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPositive = 0;
        long positives = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && score[order[j]] == score[order[i]]) {
                j++;
            }
            double avgRank = (i + j + 1) / 2.0;
            for (int k = i; k < j; k++) {
                if (label[order[k]] > 0.5) {
                    rankSumPositive += avgRank;
                    positives++;
                }
            }
            i = j;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    static long dayOf(long micros) {
        return Instant.EPOCH.plusNanos(micros * 1000).atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
    }
}
