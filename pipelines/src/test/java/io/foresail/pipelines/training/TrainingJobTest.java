package io.foresail.pipelines.training;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.progress.Progress;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.training.run.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The training job's request: contradictory settings are refused when the request is built, and
 * a run refuses a used output directory and an unreachable tracking server before it reads a byte
 * of the feature set. (The job end to end is exercised through {@code foresail train} and the
 * quickstart in {@code ForesailCliTest}.)
 */
class TrainingJobTest {
    @TempDir
    Path dir;

    @Test
    void contradictorySettingsAreRefusedWhenTheRequestIsBuilt() {
        Path features = dir.resolve("fs");
        Path out = dir.resolve("out");
        TrainingJob.Registration reg = new TrainingJob.Registration("m", MlflowEndpoint.of(URI.create("http://127.0.0.1:9")), null, null);
        assertThatThrownBy(() -> TrainingJob.Request.builder(features, out).localThreads(true).distributed(true, null).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--distributed needs Spark");
        assertThatThrownBy(() -> TrainingJob.Request.builder(features, out).distributed(false, 3).build())
                .hasMessageContaining("--workers applies to --distributed only");
        assertThatThrownBy(() -> TrainingJob.Request.builder(features, out).distributed(true, 0).build())
                .hasMessageContaining("--workers must be at least 1");
        assertThatThrownBy(() -> TrainingJob.Request.builder(features, out).ensemble(false).register(reg).build())
                .hasMessageContaining("--register registers the stacked ensemble");
        assertThatThrownBy(() -> TrainingJob.Request.builder(features, out).oracle(dir.resolve("none.parquet")).build())
                .hasMessageContaining("none.parquet: file not found");

        TrainingJob.Request r = TrainingJob.Request.builder(features, out).trials(3).build();
        assertThat(r.config().search().trials()).as("--trials replaces the config's").isEqualTo(3);
        assertThat(r.config().models()).isEqualTo(TrainingConfig.defaults().models());
        assertThat(r.spark()).isTrue();
        assertThat(r.ensemble()).isTrue();
        assertThat(r.registration()).isNull();
        assertThat(reg.experiment()).isEqualTo("foresail-training");
    }

    @Test
    void aRunChecksItsOutputAndServerBeforeReadingData() throws Exception {
        Path used = Files.createDirectories(dir.resolve("used"));
        Files.writeString(used.resolve("report.json"), "{}");
        List<String> notes = new ArrayList<>();
        // The feature set does not exist: the output check must come first, and say so.
        assertThatThrownBy(() -> TrainingJob.run(TrainingJob.Request.builder(dir.resolve("missing"), used).build(),
                Progress.NONE, notes::add)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--out " + used + " is not empty; training never overwrites results");
        // Nothing listens on port 9: refused before the data is read, not after hours of training.
        TrainingJob.Registration nowhere = new TrainingJob.Registration("m",
                MlflowEndpoint.of(URI.create("http://127.0.0.1:9")), "e", dir.resolve("cache"));
        assertThatThrownBy(() -> TrainingJob.run(TrainingJob.Request.builder(dir.resolve("missing"), dir.resolve("fresh"))
                .register(nowhere).build(), Progress.NONE, notes::add))
                .hasMessageContaining("127.0.0.1:9").hasMessageNotContaining("is not a feature set");
        assertThat(notes).isEmpty();
    }
}
