package io.foresail.models;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.foresail.models.linear.RidgeTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A model card carries its inputs through save and load; an artifact carries its provenance under its checksums. */
class ModelCardTest {

    @Test
    void inputsTravelWithTheArtifactAndProvenanceIsChecksummed(@TempDir Path tmp) throws Exception {
        var plan = JsonNodeFactory.instance.objectNode().put("timeframe", "15Min").put("benchmark", "SPY");
        plan.putObject("sectors").put("AAPL", "INFORMATION_TECHNOLOGY").put("XOM", "ENERGY");
        ModelInputs inputs = new ModelInputs("0123456789abcdef", "fedcba9876543210", "bars", plan);
        ModelsTest.Data d = ModelsTest.synthetic(200, 1, false);
        RidgeTrainer t = new RidgeTrainer();
        FitProvenance p = new FitProvenance(Task.REGRESSION, t.searchSpace().defaults(), ModelsTest.FEATURES, "y",
                "0123456789abcdef", "", "", 1, 1, inputs);
        try (Model m = t.fit(new FitRequest(d.rows(), d.rows(), p))) {
            m.save(tmp.resolve("with"));
        }
        try (Model m = t.fit(new FitRequest(d.rows(), d.rows(), p.with(t.searchSpace().defaults())))) {
            assertThat(m.card().inputs()).as("a search trial keeps the inputs").isEqualTo(inputs);
        }
        ModelCard read = ModelArtifact.readCard(tmp.resolve("with"));
        assertThat(read.inputs()).isEqualTo(inputs);
        assertThat(read.inputs().sectors()).containsExactly(Map.entry("AAPL", "INFORMATION_TECHNOLOGY"), Map.entry("XOM", "ENERGY"));
        assertThat(read.inputs().benchmark()).isEqualTo("SPY");
        assertThat(read.inputs().timeframe()).isEqualTo("15Min");

        FitProvenance none = new FitProvenance(Task.REGRESSION, t.searchSpace().defaults(), ModelsTest.FEATURES, "y", "", "", "", 1, 1);
        try (Model m = t.fit(new FitRequest(d.rows(), d.rows(), none))) {
            m.save(tmp.resolve("without"));
        }
        assertThat(Files.readString(tmp.resolve("without").resolve(ModelCard.FILE))).doesNotContain("inputs");
        assertThat(ModelArtifact.readCard(tmp.resolve("without")).inputs()).isNull();

        ModelProvenance made = ModelProvenance.here("0.1.0", "a".repeat(40), false);
        made.writeTo(tmp.resolve("with"));
        ModelArtifact.verify(tmp.resolve("with"));
        assertThat(ModelProvenance.of(tmp.resolve("with"))).contains(made);
        assertThat(made.libraries()).containsEntry("xgboost4j", "3.1.1").containsEntry("lightgbm4j", "4.3.0-1")
                .containsEntry("onnxruntime", "1.28.0").containsEntry("djl", "0.35.1");
        assertThat(made.arch()).isEqualTo(System.getProperty("os.arch"));
        assertThat(ModelProvenance.of(tmp.resolve("without"))).isEmpty();
        // Editing the provenance after the fact is tampering like any other.
        Files.writeString(tmp.resolve("with").resolve(ModelProvenance.FILE),
                Files.readString(tmp.resolve("with").resolve(ModelProvenance.FILE)).replace("0.1.0", "9.9.9"));
        assertThatThrownBy(() -> ModelArtifact.verify(tmp.resolve("with"))).isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining(ModelProvenance.FILE);
    }
}
