package io.foresail.registry.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** MLflow experiments and runs: one experiment per pipeline, one run per training job. */
public final class MlflowTracking {
    private final MlflowClient client;

    public MlflowTracking(MlflowClient client) {
        this.client = client;
    }

    /** The id of the experiment called {@code name}, created if it does not exist yet. */
    public String experiment(String name) {
        try {
            return client.get("experiments/get-by-name", Map.of("experiment_name", name))
                    .path("experiment").path("experiment_id").asText();
        } catch (MlflowException e) {
            if (!e.notFound()) {
                throw e;
            }
        }
        try {
            return client.post("experiments/create", MlflowClient.object().put("name", name), false)
                    .path("experiment_id").asText();
        } catch (MlflowException e) {
            // Another job created it between our two calls.
            if ("RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
                return client.get("experiments/get-by-name", Map.of("experiment_name", name))
                        .path("experiment").path("experiment_id").asText();
            }
            throw e;
        }
    }

    /** Starts a run in the experiment, with its name and tags. */
    public MlflowRun startRun(String experimentId, String runName, Map<String, String> tags) {
        ObjectNode body = MlflowClient.object().put("experiment_id", experimentId).put("run_name", runName)
                .put("start_time", System.currentTimeMillis());
        ArrayNode t = body.putArray("tags");
        tags.forEach((k, v) -> t.addObject().put("key", k).put("value", v));
        JsonNode r = client.post("runs/create", body, false);
        return MlflowRun.of(client, r.path("run"));
    }

    /** A run's data as MLflow returns it ({@code info} and {@code data}: params, metrics, tags). */
    public JsonNode run(String runId) {
        return client.get("runs/get", Map.of("run_id", runId)).path("run");
    }
}
