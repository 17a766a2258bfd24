package io.foresail.registry.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One MLflow run: params, metrics (with steps), tags and artifacts, logged in batches within
 * MLflow's limits. {@link #finish} ends it; a run that is never finished shows as RUNNING, so
 * callers finish it as FAILED when their job fails. Artifact paths are relative to the run's
 * artifact root (e.g. {@code model/model.json}).
 *
 * @param id           the run id
 * @param experimentId the experiment it belongs to
 * @param artifactRoot the run's artifact location in the server's artifact store, e.g.
 *                     {@code 1/<run id>/artifacts} (from {@code mlflow-artifacts:/1/<run id>/artifacts})
 */
public record MlflowRun(MlflowClient client, String id, String experimentId, String artifactRoot) {
    private static final int PARAMS_PER_BATCH = 100;
    private static final int METRICS_PER_BATCH = 1000;
    private static final int PARAM_VALUE_LIMIT = 6000;

    /** A metric value at a step (e.g. the fold); {@code timestamp} in epoch milliseconds. */
    public record Metric(String key, double value, long step, long timestamp) {
    }

    static MlflowRun of(MlflowClient client, JsonNode run) {
        JsonNode info = run.path("info");
        String uri = info.path("artifact_uri").asText();
        String prefix = "mlflow-artifacts:/";
        if (!uri.startsWith(prefix)) {
            throw new ForesailException("run " + info.path("run_id").asText() + " stores artifacts at " + uri
                    + "; Foresail needs a server that serves artifacts (mlflow server --serve-artifacts)");
        }
        return new MlflowRun(client, info.path("run_id").asText(), info.path("experiment_id").asText(),
                uri.substring(prefix.length()).replaceAll("^/+", ""));
    }

    /**
     * Logs params (flattened config and hyperparameters).
     *
     * @throws InvalidInputException for a value longer than MLflow accepts (named)
     */
    public void logParams(Map<String, String> params) {
        List<Map.Entry<String, String>> all = new ArrayList<>(params.entrySet());
        for (Map.Entry<String, String> e : all) {
            if (e.getValue().length() > PARAM_VALUE_LIMIT) {
                throw new InvalidInputException("param " + e.getKey() + " is " + e.getValue().length()
                        + " characters; MLflow keeps at most " + PARAM_VALUE_LIMIT + " (log it as an artifact)");
            }
        }
        for (int from = 0; from < all.size(); from += PARAMS_PER_BATCH) {
            ObjectNode body = MlflowClient.object().put("run_id", id);
            ArrayNode list = body.putArray("params");
            for (Map.Entry<String, String> e : all.subList(from, Math.min(all.size(), from + PARAMS_PER_BATCH))) {
                list.addObject().put("key", e.getKey()).put("value", e.getValue());
            }
            client.post("runs/log-batch", body, true);
        }
    }

    /** Logs metrics; a non-finite value is sent as MLflow's NaN or ±Infinity, not dropped. */
    public void logMetrics(List<Metric> metrics) {
        for (int from = 0; from < metrics.size(); from += METRICS_PER_BATCH) {
            ObjectNode body = MlflowClient.object().put("run_id", id);
            ArrayNode list = body.putArray("metrics");
            for (Metric m : metrics.subList(from, Math.min(metrics.size(), from + METRICS_PER_BATCH))) {
                ObjectNode n = list.addObject().put("key", m.key()).put("timestamp", m.timestamp()).put("step", m.step());
                if (Double.isFinite(m.value())) {
                    n.put("value", m.value());
                } else {
                    n.put("value", Double.isNaN(m.value()) ? "NaN" : m.value() > 0 ? "Infinity" : "-Infinity");
                }
            }
            client.post("runs/log-batch", body, true);
        }
    }

    public void setTags(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        ObjectNode body = MlflowClient.object().put("run_id", id);
        ArrayNode list = body.putArray("tags");
        tags.forEach((k, v) -> list.addObject().put("key", k).put("value", v));
        client.post("runs/log-batch", body, true);
    }

    /**
     * Uploads {@code file} into the artifact directory {@code artifactDir} under its own name, as
     * MLflow's {@code log_artifact(local_path, artifact_path)} does.
     */
    public void logArtifact(Path file, String artifactDir) {
        client.upload(artifactRoot + "/" + artifactDir + "/" + file.getFileName(), file);
    }

    /**
     * Uploads every file under {@code dir} to {@code artifactPath/<relative path>}, in path order.
     * Returns the relative paths uploaded.
     */
    public List<String> logArtifacts(Path dir, String artifactPath) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new ForesailException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            client.upload(artifactRoot + "/" + artifactPath + "/" + rel, f);
            out.add(rel);
        }
        return out;
    }

    /** Ends the run as FINISHED or FAILED (or KILLED). */
    public void finish(String status) {
        client.post("runs/update", MlflowClient.object().put("run_id", id).put("status", status)
                .put("end_time", System.currentTimeMillis()), true);
    }
}
