package io.foresail.models;

import io.foresail.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model-type catalogue: one entry per type, trainers where the type can be trained here. */
class ModelTypesTest {

    @Test
    void listsEveryTypeOfThisModuleAndTheTrainersOfThoseThatTrain() {
        assertThat(ModelTypes.all()).containsOnlyKeys("lightgbm", "lstm", "onnx", "ridge", "stacked-ensemble", "transformer", "xgboost");
        assertThat(ModelTypes.trainers()).containsOnlyKeys("lightgbm", "lstm", "ridge", "transformer", "xgboost");
        ModelTypes.trainers().forEach((type, trainer) -> assertThat(trainer.type()).isEqualTo(type));
        assertThat(ModelTypes.trainers().get("lstm")).as("a fresh trainer per call")
                .isNotSameAs(ModelTypes.trainers().get("lstm"));
    }

    @Test
    void anUnknownTypeIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> ModelTypes.of("catboost")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'catboost'").hasMessageContaining("xgboost");
    }

    @Test
    void aTypeDeclaredTwiceIsAnError(@TempDir Path tmp) throws Exception {
        Path services = Files.createDirectories(tmp.resolve("META-INF/services"));
        Files.writeString(services.resolve(ModelType.class.getName()), Clash.class.getName() + "\n");
        try (URLClassLoader twice = new URLClassLoader(new java.net.URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> ModelTypes.discover(twice)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'xgboost' is declared twice");
        }
    }

    /** A second, different class claiming the type {@code xgboost}. */
    public static final class Clash implements ModelType {
        @Override
        public String type() {
            return "xgboost";
        }

        @Override
        public Model load(Path dir, ModelCard card) {
            throw new UnsupportedOperationException("never loaded");
        }
    }
}
