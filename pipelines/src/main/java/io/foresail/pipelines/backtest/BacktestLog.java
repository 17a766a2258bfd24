package io.foresail.pipelines.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.registry.ModelRegistry;
import io.foresail.registry.Promotion;
import io.foresail.registry.ModelVersion;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowRun;
import io.foresail.registry.mlflow.MlflowTracking;
import io.foresail.core.io.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records a finished backtest in MLflow: a run in experiment {@value #EXPERIMENT} with the
 * configuration as params, the figures as metrics, and the report directory (summary, equity,
 * decisions, risk events, fills, tearsheet and charts) as artifacts; for a registered version,
 * tags on that version naming the run and its headline figures, so the MLflow UI shows them next
 * to the version people promote. It starts only after the backtest has succeeded, so a failed
 * backtest logs nothing; a failure while logging marks the run FAILED.
 */
public final class BacktestLog {
    public static final String EXPERIMENT = "foresail-backtests";
    private static final Logger LOG = LoggerFactory.getLogger(BacktestLog.class);

    /** Where the backtest went: the run, and the version it tagged (null when the scores were not a version's). */
    public record Logged(String runId, String experimentId, ModelVersion version) {
    }

    private BacktestLog() {
    }

    public static Logged log(MlflowClient client, ModelRegistry registry, BacktestJob.Result r) throws java.io.IOException {
        MlflowTracking tracking = new MlflowTracking(client);
        String experiment = tracking.experiment(EXPERIMENT);
        JsonNode summary = Json.MAPPER.readTree(r.out().resolve("summary.json").toFile());
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("foresail.scores", r.replay().source());
        tags.put("foresail.label", r.replay().label().isEmpty() ? "out-of-sample" : r.replay().label());
        if (r.version() != null) {
            tags.put("foresail.model", r.version().name());
            tags.put("foresail.model_version", r.version().version());
        }
        MlflowRun run = tracking.startRun(experiment, "backtest " + r.replay().source() + " " + summary.path("from").asText()
                + " .. " + summary.path("to").asText(), tags);
        try {
            Map<String, String> params = new LinkedHashMap<>();
            flatten("", summary.path("config"), params);
            for (String k : List.of("scores", "bars", "from", "to", "symbols", "benchmark", "label")) {
                params.put(k, summary.path(k).asText());
            }
            run.logParams(params);
            long now = System.currentTimeMillis();
            List<MlflowRun.Metric> metrics = new ArrayList<>();
            r.performance().figures().forEach((k, v) -> {
                if (Double.isFinite(v)) {
                    metrics.add(new MlflowRun.Metric(k, v, 0, now));
                }
            });
            run.logMetrics(metrics);
            try (var files = Files.list(r.out())) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    run.logArtifact(f, "backtest");
                }
            }
            run.logArtifacts(r.out().resolve("charts"), "backtest/charts");
            if (r.version() != null) {
                Map<String, String> versionTags = new LinkedHashMap<>();
                versionTags.put(Promotion.BACKTEST_RUN_TAG, run.id());
                versionTags.put("foresail.backtest.period", summary.path("from").asText() + " .. " + summary.path("to").asText());
                versionTags.put(Promotion.BACKTEST_LABEL_TAG, tags.get("foresail.label"));
                for (String k : List.of("sharpe", "annual_return", "max_drawdown", "realised_ic")) {
                    double v = r.performance().figures().get(k);
                    versionTags.put("foresail.backtest." + k, Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a");
                }
                registry.setTags(r.version().name(), r.version().version(), versionTags);
            }
            run.finish("FINISHED");
            LOG.info("backtest logged as MLflow run {} in experiment {}", run.id(), EXPERIMENT);
            return new Logged(run.id(), experiment, r.version());
        } catch (RuntimeException | java.io.IOException e) {
            try {
                run.finish("FAILED");
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!node.isNull() && !node.isMissingNode()) {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }
}
