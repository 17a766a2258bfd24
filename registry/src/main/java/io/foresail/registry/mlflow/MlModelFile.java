package io.foresail.registry.mlflow;

import io.foresail.core.io.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.foresail.models.ModelCard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * MLflow's {@code MLmodel} file for a Foresail model directory, so that the MLflow UI and the
 * official clients see what the model takes and returns: a column signature with one float
 * input per feature (in the model's input order) and one double output, {@code prediction}; and
 * a {@code foresail} flavor naming the model card's format and type. Foresail itself loads the
 * model from {@code model.json}; this file is for MLflow.
 */
public final class MlModelFile {
    public static final String FILE = "MLmodel";

    private MlModelFile() {
    }

    /** Writes {@code MLmodel} into {@code dir} for the model described by {@code card}. */
    public static void write(Path dir, ModelCard card, String artifactPath, Instant created) throws IOException {
        ArrayNode inputs = Json.MAPPER.createArrayNode();
        for (String f : card.features()) {
            inputs.addObject().put("type", "float").put("name", f).put("required", true);
        }
        ArrayNode outputs = Json.MAPPER.createArrayNode();
        outputs.addObject().put("type", "double").put("name", "prediction").put("required", true);
        StringBuilder y = new StringBuilder();
        y.append("artifact_path: ").append(quote(artifactPath)).append('\n');
        y.append("flavors:\n  foresail:\n");
        y.append("    format: ").append(quote(card.format())).append('\n');
        y.append("    type: ").append(quote(card.type())).append('\n');
        y.append("    target: ").append(quote(card.target())).append('\n');
        y.append("    feature_set_id: ").append(quote(String.valueOf(card.featureSetId()))).append('\n');
        y.append("    sequence_length: ").append(card.sequenceLength()).append('\n');
        y.append("    loader: io.foresail.models.ModelArtifact\n");
        y.append("signature:\n");
        y.append("  inputs: ").append(quote(Json.MAPPER.writeValueAsString(inputs))).append('\n');
        y.append("  outputs: ").append(quote(Json.MAPPER.writeValueAsString(outputs))).append('\n');
        y.append("  params: null\n");
        y.append("utc_time_created: ").append(quote(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                .withZone(ZoneOffset.UTC).format(created))).append('\n');
        Files.writeString(dir.resolve(FILE), y.toString(), StandardCharsets.UTF_8);
    }

    /** A YAML single-quoted scalar (quotes doubled), safe for JSON text and any name. */
    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
