package io.foresail.ensemble;

import io.foresail.models.stacked.MetaLearner;
import io.foresail.core.io.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresail.core.error.ForesailException;
import io.foresail.training.metrics.Evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What stacking bought, told honestly: each member's and the ensemble's out-of-sample quality on
 * the SAME rows. The ensemble's figures come from a walk-forward at level 1: for fold k the
 * meta-learner is fitted only on the out-of-fold predictions of folds before k (purged), then
 * scores fold k, so the ensemble is never judged on rows its meta-learner was fitted on. Fold 0
 * has no earlier predictions and is not scored; with a single fold nothing is, and the ensemble
 * has no out-of-sample figure ({@code ensemble_wins} is then null).
 *
 * @param metaRows    rows the final meta-learner was fitted on (every fold's out-of-fold rows)
 * @param folds       per level-1 scored fold: rank IC of each member and of {@code ensemble}
 * @param outOfSample pooled over the scored folds, by member name and {@code ensemble}
 * @param without     per member, the pooled level-1 rank IC of the ensemble without it (same
 *                    walk-forward, same rows): the full ensemble's minus this is what the member adds
 * @param refit       per member, what the deployable copy was refit with
 */
public record EnsembleReport(@JsonProperty("members") List<String> members,
                             @JsonProperty("passthrough") List<String> passthrough,
                             @JsonProperty("meta_learner") MetaLearner meta,
                             @JsonProperty("meta_rows") int metaRows,
                             @JsonProperty("folds") List<FoldScores> folds,
                             @JsonProperty("out_of_sample") Map<String, Evaluation> outOfSample,
                             @JsonProperty("ensemble_without") Map<String, Double> without,
                             @JsonProperty("refit") Map<String, RefitMember> refit) {

    public static final String ENSEMBLE = "ensemble";

    /** One level-1 scored fold: its rows, the meta-learner's training rows, rank IC by column. */
    public record FoldScores(@JsonProperty("fold") int fold,
                             @JsonProperty("rows") int rows,
                             @JsonProperty("meta_train_rows") int metaTrainRows,
                             @JsonProperty("rank_ic") Map<String, Double> rankIc) {
    }

    /** A member's deployable copy: its window (UTC bar starts), hyperparameters and validation rank IC there. */
    public record RefitMember(@JsonProperty("train_from") String trainFrom,
                              @JsonProperty("train_to") String trainTo,
                              @JsonProperty("hyperparameters") Map<String, Object> hyperparameters,
                              @JsonProperty("validation_rank_ic") double validationRankIc) {
    }

    /** Writes {@code ensemble-report.json} and {@code ensemble-report.txt} into {@code dir}. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("ensemble-report.json"), Json.PRETTY.writeValueAsBytes(this));
            Files.writeString(dir.resolve("ensemble-report.txt"), table(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ForesailException("cannot write the ensemble report to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The member with the highest pooled out-of-sample rank IC, or null when nothing was scored. */
    @JsonProperty("best_member")
    public String bestMember() {
        return members.stream().filter(outOfSample::containsKey)
                .max(java.util.Comparator.comparingDouble(m -> outOfSample.get(m).rankIc())).orElse(null);
    }

    /** Whether the ensemble's pooled rank IC beats the best member's on the same rows; null when nothing was scored. */
    @JsonProperty("ensemble_wins")
    public Boolean ensembleWins() {
        String best = bestMember();
        return best == null ? null : outOfSample.get(ENSEMBLE).rankIc() > outOfSample.get(best).rankIc();
    }

    /** The ensemble's pooled out-of-sample rank IC, or NaN when no fold could be scored. */
    public double ensembleRankIc() {
        Evaluation e = outOfSample.get(ENSEMBLE);
        return e == null ? Double.NaN : e.rankIc();
    }

    /** The report as a readable table, members and ensemble side by side. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "stacked ensemble of %s%s; %s meta-learner fitted on %,d out-of-fold rows%n",
                String.join(", ", members), passthrough.isEmpty() ? "" : " + passthrough " + String.join(", ", passthrough),
                meta.logistic() ? "logistic ridge" : "ridge", metaRows));
        // Weights are in target units per standard deviation of each input: tiny for returns, so printed as shares.
        double total = java.util.Arrays.stream(meta.weights()).map(Math::abs).sum();
        b.append("  weights (share of total |standardised weight|):");
        for (int j = 0; j < meta.inputs().size(); j++) {
            b.append(String.format(Locale.ROOT, " %s %+.3f", meta.inputs().get(j), total == 0 ? 0 : meta.weights()[j] / total));
        }
        b.append('\n');
        if (folds.isEmpty()) {
            b.append("  out of sample: not scored; the level-1 walk-forward needs at least two folds\n");
            return b.toString();
        }
        b.append(String.format(Locale.ROOT, "%nout-of-sample rank IC on the same rows (level-1 walk-forward, folds %d..%d)%n",
                folds.get(0).fold(), folds.get(folds.size() - 1).fold()));
        b.append(String.format(Locale.ROOT, "%-8s %9s", "fold", "rows"));
        for (String c : outOfSample.keySet()) {
            b.append(String.format(Locale.ROOT, " %10s", c));
        }
        b.append('\n');
        for (FoldScores f : folds) {
            b.append(String.format(Locale.ROOT, "%-8d %9d", f.fold(), f.rows()));
            for (String c : outOfSample.keySet()) {
                b.append(String.format(Locale.ROOT, " %10.4f", f.rankIc().get(c)));
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "%-8s %9d", "pooled", outOfSample.get(ENSEMBLE).rows()));
        outOfSample.values().forEach(e -> b.append(String.format(Locale.ROOT, " %10.4f", e.rankIc())));
        b.append(String.format(Locale.ROOT, "%n%-8s %9s", "stderr", ""));
        outOfSample.values().forEach(e -> b.append(String.format(Locale.ROOT, " %10.4f", e.rankIcStderr())));
        b.append(String.format(Locale.ROOT, "%n%-8s %9s", "sharpe", ""));
        outOfSample.values().forEach(e -> b.append(String.format(Locale.ROOT, " %10.2f", e.sharpeNet())));
        b.append('\n');
        String bestMember = bestMember();
        Evaluation best = outOfSample.get(bestMember);
        Evaluation ens = outOfSample.get(ENSEMBLE);
        double diff = ens.rankIc() - best.rankIc();
        b.append(String.format(Locale.ROOT, "verdict: the ensemble %s the best member (%s) by %.4f rank IC (%.1f standard errors)%n",
                ensembleWins() ? "beats" : "does not beat", bestMember, Math.abs(diff),
                Math.abs(diff) / Math.max(1e-12, best.rankIcStderr())));
        if (!without.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%nwhat each member adds (the same level-1 walk-forward without it)%n"));
            b.append(String.format(Locale.ROOT, "%-12s %8s %10s %12s %10s%n", "member", "weight", "own IC", "without it", "adds"));
            for (int m = 0; m < members.size(); m++) {
                String name = members.get(m);
                double w = total == 0 ? 0 : meta.weights()[m] / total;
                double rest = without.getOrDefault(name, Double.NaN);
                b.append(String.format(Locale.ROOT, "%-12s %+8.3f %10.4f %12.4f %+10.4f%n", name, w,
                        outOfSample.get(name).rankIc(), rest, ens.rankIc() - rest));
            }
        }
        return b.toString();
    }
}
