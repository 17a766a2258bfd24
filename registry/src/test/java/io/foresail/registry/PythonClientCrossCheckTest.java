package io.foresail.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresail.registry.python.PythonEnv;
import io.foresail.models.stacked.MetaLearner;
import io.foresail.models.stacked.StackedEnsemble;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelCard;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.linear.RidgeTrainer;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import io.foresail.registry.mlflow.MlflowRun;
import io.foresail.registry.mlflow.MlflowServer;
import io.foresail.registry.mlflow.MlflowTracking;
import io.foresail.models.FitProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official Python MLflow client, from the same virtualenv as the server, reads a version
 * registered from Java by its alias (a stacked ensemble, as training registers, members nested): it sees the version's tags, the run's metrics and params,
 * the MLmodel signature (feature names, float inputs, one prediction output), and downloads
 * files whose SHA-256 match our {@code checksums.sha256}.
 */
class PythonClientCrossCheckTest {
    @TempDir
    Path tmp;

    @Test
    void pythonClientReadsWhatJavaRegistered() throws Exception {
        MlflowServer server = MlflowTestServer.get();
        MlflowClient client = MlflowClient.of(MlflowEndpoint.of(server.uri()));
        List<String> features = List.of("alpha158_kmid_1_raw", "tech_rsi_14_raw", "vol_cc_60_raw");
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[600 * 3];
        float[] y = new float[600];
        for (int i = 0; i < 600; i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) r.nextGaussian();
            }
            y[i] = (float) (x[i * 3] + r.nextGaussian());
        }
        TrainingData d = new TrainingData(new FeatureMatrix(x, 600, 3), y);
        RidgeTrainer t = new RidgeTrainer();
        Path saved = tmp.resolve("model");
        // What training registers: a stacked ensemble, so members sit in nested directories.
        List<Model> members = new ArrayList<>();
        for (double lambda : new double[]{0.01, 10}) {
            members.add(t.fit(new FitRequest(d, d, new FitProvenance(Task.REGRESSION, t.searchSpace().withOverrides(Map.of("lambda", lambda)),
                    features, "label_fwd_1_raw", "feedfacecafe0001", "2023-01-03T14:30:00Z", "2023-06-30T19:45:00Z", 3, 1))));
        }
        double[][] columns = {members.get(0).predict(d.x()), members.get(1).predict(d.x())};
        double[] target = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            target[i] = y[i];
        }
        MetaLearner meta = MetaLearner.fit(List.of("sharp", "smooth"), columns, target, 2, Task.REGRESSION, 1.0, true);
        ModelCard card = new ModelCard(ModelCard.FORMAT, StackedEnsemble.TYPE, Task.REGRESSION, "feedfacecafe0001",
                features, 0, "label_fwd_1_raw", Map.of("alpha", 1.0), "2023-01-03T14:30:00Z", "2023-06-30T19:45:00Z",
                Map.of("oos_rank_ic", 0.0312), 3, 1, List.of(), Map.of("members", "sharp,smooth"));
        try (StackedEnsemble e = new StackedEnsemble(card, new StackedEnsemble.Manifest(StackedEnsemble.MANIFEST_FORMAT,
                List.of(new StackedEnsemble.MemberEntry("sharp", "ridge", "members/sharp", 0, null),
                        new StackedEnsemble.MemberEntry("smooth", "ridge", "members/smooth", 0, null)), List.of(), meta), members)) {
            ModelArtifact.save(e, saved, e.card().metrics());
        }
        MlflowTracking tracking = new MlflowTracking(client);
        MlflowRun run = tracking.startRun(tracking.experiment("foresail-test-crosscheck"), "crosscheck", Map.of());
        run.logParams(Map.of("ridge.lambda", "0.01"));
        run.logMetrics(List.of(new MlflowRun.Metric("test_rank_ic", 0.0312, 0, System.currentTimeMillis())));
        MlflowModelRegistry registry = new MlflowModelRegistry(client, new ModelCache(tmp.resolve("cache")));
        ModelVersion v = registry.publish(run, "foresail-test-crosscheck", saved, "", Map.of("foresail.feature_set_id", "feedfacecafe0001"));
        run.finish("FINISHED");
        registry.setAlias(v.name(), "champion", v.version());

        PythonEnv python = server.python();
        Path script = PythonEnv.script("crosscheck.py", tmp.resolve("crosscheck.py"));
        String out = PythonEnv.exec(List.of(python.python().toString(), script.toString(), server.uri().toString(),
                v.name(), "champion", tmp.resolve("py").toString()), tmp, 300);
        JsonNode seen = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());

        assertThat(seen.path("version").asText()).isEqualTo(v.version());
        assertThat(seen.path("aliases").toString()).contains("champion");
        assertThat(seen.path("tags").path("foresail.feature_set_id").asText()).isEqualTo("feedfacecafe0001");
        assertThat(seen.path("tags").path(MlflowModelRegistry.CHECKSUMS_TAG).asText())
                .isEqualTo(v.tags().get(MlflowModelRegistry.CHECKSUMS_TAG));
        assertThat(seen.path("metrics").path("test_rank_ic").asDouble()).isEqualTo(0.0312);
        assertThat(seen.path("params").path("ridge.lambda").asText()).isEqualTo("0.01");
        List<String> inputs = new ArrayList<>();
        seen.path("inputs").forEach(n -> inputs.add(n.asText()));
        assertThat(inputs).isEqualTo(features);
        assertThat(seen.path("input_types").toString()).contains("float");
        assertThat(seen.path("outputs").get(0).asText()).isEqualTo("prediction");

        Map<String, String> listed = new TreeMap<>();
        Path fetched = registry.fetch(v);
        for (String line : Files.readAllLines(fetched.resolve(ModelArtifact.CHECKSUMS))) {
            listed.put(line.substring(66), line.substring(0, 64));
        }
        Map<String, String> fromPython = new TreeMap<>();
        seen.path("files").fields().forEachRemaining(e -> fromPython.put(e.getKey(), e.getValue().asText()));
        String checksums = fromPython.remove(ModelArtifact.CHECKSUMS);
        // The Python client writes this file itself when it downloads a models:/ URI.
        fromPython.remove("registered_model_meta");
        assertThat(fromPython).as("every file Python downloaded matches checksums.sha256").isEqualTo(listed);
        assertThat(listed).containsKeys("members/sharp/model.json", "members/smooth/checksums.sha256", "ensemble.json");
        assertThat(checksums).isEqualTo(v.tags().get(MlflowModelRegistry.CHECKSUMS_TAG));
    }
}
