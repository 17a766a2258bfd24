package io.foresail.pipelines.training;

import io.foresail.core.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresail.core.io.Directories;
import io.foresail.ensemble.EnsembleReport;
import io.foresail.registry.ModelVersion;
import io.foresail.registry.Promotion;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import io.foresail.registry.mlflow.MlflowRun;
import io.foresail.registry.mlflow.MlflowTracking;
import io.foresail.training.data.Dataset;
import io.foresail.training.metrics.Evaluation;
import io.foresail.training.run.TrainingConfig;
import io.foresail.training.run.TrainingOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records a finished training job in MLflow and registers its ensemble (docs/registry.md): one run in the pipeline's experiment with
 * <ul>
 *   <li>params: the training config flattened ({@code walk_forward.train_months}, ...) and each
 *       model's hyperparameters as chosen on the last fold ({@code best.xgboost.eta});</li>
 *   <li>metrics: per fold with the fold as step ({@code xgboost.test_rank_ic}, level-1
 *       {@code ensemble.test_rank_ic}), and pooled ({@code xgboost.oos_rank_ic}, ...);</li>
 *   <li>tags: feature set id, bar manifest hash, git commit, code version;</li>
 *   <li>artifacts: reports, out-of-fold predictions, the fold models, plots, and the ensemble under
 *       {@code model/} with its MLmodel signature.</li>
 * </ul>
 * The ensemble becomes a new version of the registered model, tagged with its out-of-sample rank
 * IC (what promotion compares), and takes the alias {@code challenger}. The run ends FAILED if any
 * step fails; no version is registered unless every file reached the server.
 */
public final class TrainingRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRegistration.class);
    public static final String CHALLENGER = "challenger";

    /** What was recorded: the run, the new version, and where to look at them. */
    public record Outcome(String runId, ModelVersion version, URI runPage, URI versionPage, long artifactBytes,
                          double uploadSeconds) {
    }

    private TrainingRegistration() {
    }

    /**
     * @param experimentId the experiment of the run (from {@link MlflowTracking#experiment})
     * @param out        the training output directory (report.json, oof/, models/, plots/)
     * @param ensembleDir the saved ensemble artifact
     */
    public static Outcome register(MlflowModelRegistry registry, MlflowEndpoint endpoint, String experimentId, String name,
                                   Path out, Path ensembleDir, Dataset data, TrainingConfig cfg,
                                   TrainingOutput.Report report, EnsembleReport ensemble, CodeVersion code) {
        MlflowTracking tracking = new MlflowTracking(registry.client());
        Map<String, String> tags = provenance(data, cfg, code);
        MlflowRun run = tracking.startRun(experimentId, name + " " + data.featureSetId(), tags);
        LOG.info("MLflow run {} in experiment {}", run.id(), experimentId);
        try {
            run.logParams(params(cfg, data, report));
            run.logMetrics(metrics(report, ensemble));
            for (String f : List.of("report.json", "report.txt", "ensemble-report.json", "ensemble-report.txt")) {
                if (Files.exists(out.resolve(f))) {
                    run.logArtifact(out.resolve(f), "reports");
                }
            }
            run.logArtifacts(out.resolve("oof"), "oof");
            run.logArtifacts(out.resolve("plots"), "plots");
            run.logArtifacts(out.resolve("models"), "fold-models");
            long bytes = Directories.size(ensembleDir);
            Map<String, String> versionTags = new LinkedHashMap<>(tags);
            double ic = ensemble.ensembleRankIc();
            if (Double.isFinite(ic)) {
                versionTags.put(Promotion.METRIC_TAG, Double.toString(ic));
            }
            versionTags.put("foresail.members", String.join(",", ensemble.members()));
            long t0 = System.nanoTime();
            ModelVersion v = registry.publish(run, name, ensembleDir, description(ensemble, data), versionTags);
            double seconds = (System.nanoTime() - t0) / 1e9;
            registry.setAlias(name, CHALLENGER, v.version());
            run.finish("FINISHED");
            return new Outcome(run.id(), v, endpoint.runPage(experimentId, run.id()), endpoint.versionPage(name, v.version()),
                    bytes, seconds);
        } catch (RuntimeException e) {
            try {
                run.finish("FAILED");
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Run and version tags: where the data came from and which code trained on it. */
    static Map<String, String> provenance(Dataset data, TrainingConfig cfg, CodeVersion code) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("foresail.feature_set_id", data.featureSetId());
        t.put("foresail.feature_set_name", data.manifest().name());
        t.put("foresail.bar_manifest_hash", String.valueOf(data.manifest().barManifestHash()));
        t.put("foresail.target", cfg.target());
        t.put("foresail.git_commit", code.gitCommit());
        t.put("foresail.git_dirty", Boolean.toString(code.dirty()));
        t.put("foresail.code_version", code.version());
        if (!CodeVersion.UNKNOWN.equals(code.gitCommit())) {
            t.put("mlflow.source.git.commit", code.gitCommit());
        }
        return t;
    }

    /** The config as flat params, the data's shape, and each model's last-fold hyperparameters. */
    static Map<String, String> params(TrainingConfig cfg, Dataset data, TrainingOutput.Report report) {
        Map<String, String> p = new LinkedHashMap<>();
        flatten("", Json.MAPPER.valueToTree(cfg), p);
        p.put("models", String.join(",", cfg.models().keySet()));
        p.put("ensemble.members", String.join(",", cfg.ensembleMembers()));
        p.put("data.feature_set_id", data.featureSetId());
        p.put("data.rows", Integer.toString(data.rows()));
        p.put("data.features", Integer.toString(data.features().size()));
        p.put("data.symbols", Integer.toString(data.symbols().size()));
        p.put("data.folds", Integer.toString(report.folds().size()));
        report.models().forEach((model, r) -> {
            TrainingOutput.ModelFold last = r.folds().get(r.folds().size() - 1);
            last.best().forEach((k, v) -> p.put("best." + model + "." + k, String.valueOf(v)));
        });
        return p;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!node.isNull() && !(node.isContainerNode() && node.isEmpty())) {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }

    /** Per-fold metrics (step = fold) and pooled ones, for every model and the ensemble. */
    static List<MlflowRun.Metric> metrics(TrainingOutput.Report report, EnsembleReport ensemble) {
        long now = System.currentTimeMillis();
        List<MlflowRun.Metric> m = new ArrayList<>();
        report.models().forEach((model, r) -> {
            for (TrainingOutput.ModelFold f : r.folds()) {
                m.add(new MlflowRun.Metric(model + ".test_rank_ic", f.test().rankIc(), f.fold(), now));
                m.add(new MlflowRun.Metric(model + ".test_ic", f.test().ic(), f.fold(), now));
                m.add(new MlflowRun.Metric(model + ".validation_rank_ic", f.validation().rankIc(), f.fold(), now));
                m.add(new MlflowRun.Metric(model + ".test_sharpe_net", f.test().sharpeNet(), f.fold(), now));
            }
            pooled(m, model, r.outOfSample(), now);
            if (r.oracle() != null) {
                m.add(new MlflowRun.Metric(model + ".oracle_rank_ic", r.oracle().rankIc(), 0, now));
            }
        });
        for (EnsembleReport.FoldScores f : ensemble.folds()) {
            f.rankIc().forEach((column, ic) -> m.add(new MlflowRun.Metric(
                    EnsembleReport.ENSEMBLE.equals(column) ? "ensemble.test_rank_ic" : "ensemble.same_rows." + column + ".test_rank_ic",
                    ic, f.fold(), now)));
        }
        ensemble.outOfSample().forEach((column, e) -> pooled(m,
                EnsembleReport.ENSEMBLE.equals(column) ? "ensemble" : "ensemble.same_rows." + column, e, now));
        ensemble.refit().forEach((model, r) -> m.add(new MlflowRun.Metric("refit." + model + ".validation_rank_ic",
                r.validationRankIc(), 0, now)));
        return m;
    }

    private static void pooled(List<MlflowRun.Metric> m, String prefix, Evaluation e, long now) {
        m.add(new MlflowRun.Metric(prefix + ".oos_rank_ic", e.rankIc(), 0, now));
        m.add(new MlflowRun.Metric(prefix + ".oos_rank_ic_stderr", e.rankIcStderr(), 0, now));
        m.add(new MlflowRun.Metric(prefix + ".oos_icir", e.icir(), 0, now));
        m.add(new MlflowRun.Metric(prefix + ".oos_hit_rate", e.hitRate(), 0, now));
        m.add(new MlflowRun.Metric(prefix + ".oos_sharpe_net", e.sharpeNet(), 0, now));
    }

    private static String description(EnsembleReport e, Dataset data) {
        double ic = e.ensembleRankIc();
        return String.format(Locale.ROOT, "Stacked ensemble of %s on feature set %s; out-of-sample rank IC %s%s",
                String.join(", ", e.members()), data.featureSetId(),
                Double.isFinite(ic) ? String.format(Locale.ROOT, "%.4f", ic) : "not scored (one fold)",
                e.ensembleWins() == null ? "" : e.ensembleWins() ? " (beats the best member)" : " (does not beat the best member "
                        + e.bestMember() + ")");
    }
}
