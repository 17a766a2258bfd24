package io.foresail.models;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.stats.Correlation;
import io.foresail.models.gbm.LightGbmTrainer;
import io.foresail.models.gbm.XGBoostTrainer;
import io.foresail.models.linear.RidgeTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every trainer on a planted signal: it learns it (out-of-sample correlation), a saved and
 * reloaded model predicts the same bits, a refit with the same seed and threads predicts the same
 * bits, early stopping stops, and a tampered artifact is refused.
 */
public class ModelsTest {
    static final int P = 8;
    public static final List<String> FEATURES = IntStream.range(0, P).mapToObj(i -> "f" + i).toList();

    /** y = 0.6 x0 - 0.4 x1 x2 + 0.3 [x3 > 0] + noise; 3 % of feature values missing. */
    public static Data synthetic(int rows, long seed, boolean classes) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * P];
        float[] y = new float[rows];
        double[] signal = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < P; j++) {
                x[i * P + j] = (float) r.nextGaussian();
            }
            signal[i] = 0.6 * x[i * P] - 0.4 * x[i * P + 1] * x[i * P + 2] + 0.3 * (x[i * P + 3] > 0 ? 1 : 0);
            double noisy = signal[i] + r.nextGaussian() * 0.8;
            y[i] = classes ? (noisy > 0.15 ? 1f : 0f) : (float) noisy;
            for (int j = 4; j < P; j++) {
                if (r.nextInt(33) == 0) {
                    x[i * P + j] = Float.NaN;
                }
            }
        }
        return new Data(new TrainingData(new FeatureMatrix(x, rows, P), y), signal);
    }

    public record Data(TrainingData rows, double[] signal) {
    }

    public static FitRequest request(ModelTrainer t, Task task, Map<String, ?> overrides) {
        Data train = synthetic(6000, 1, task == Task.CLASSIFICATION);
        Data validation = synthetic(2000, 2, task == Task.CLASSIFICATION);
        return new FitRequest(train.rows(), validation.rows(), new FitProvenance(task, t.searchSpace().withOverrides(overrides), FEATURES,
                task == Task.CLASSIFICATION ? "label_dir_1_class" : "label_fwd_1_raw", "0123456789abcdef",
                "2023-01-03T14:30:00Z", "2023-06-30T19:45:00Z", 7, 2));
    }

    static Stream<Arguments> trainers() {
        return Stream.of(
                Arguments.of(new XGBoostTrainer(), Task.REGRESSION),
                Arguments.of(new XGBoostTrainer(), Task.CLASSIFICATION),
                Arguments.of(new LightGbmTrainer(), Task.REGRESSION),
                Arguments.of(new LightGbmTrainer(), Task.CLASSIFICATION),
                Arguments.of(new RidgeTrainer(), Task.REGRESSION));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("trainers")
    void learnsSavesReloadsAndRefitsBitIdentically(ModelTrainer trainer, Task task, @TempDir Path tmp) {
        Data test = synthetic(3000, 3, task == Task.CLASSIFICATION);
        FitRequest fit = request(trainer, task, Map.of());
        double[] predicted;
        try (Model model = trainer.fit(fit)) {
            predicted = model.predict(test.rows().x());
            model.save(tmp.resolve("m"));
            Map<String, Double> importance = model.featureImportance();
            assertThat(importance.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                    org.assertj.core.api.Assertions.within(1e-9));
            String top = importance.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            // f0 carries the strongest signal; f1..f3 the rest. Noise features f4..f7 must not lead.
            assertThat(top).as("most important feature").isIn("f0", "f1", "f2", "f3");
        }
        // A linear model sees only the linear part of the signal; trees see all of it.
        double floor = trainer instanceof RidgeTrainer ? 0.5 : 0.7;
        assertThat(Correlation.pearson(predicted, test.signal())).as("correlation with the planted signal")
                .isGreaterThan(floor);
        if (task == Task.CLASSIFICATION) {
            assertThat(java.util.Arrays.stream(predicted).allMatch(p -> p >= 0 && p <= 1)).as("probabilities").isTrue();
        }
        try (Model loaded = ModelArtifact.load(tmp.resolve("m"))) {
            assertThat(loaded.card().type()).isEqualTo(trainer.type());
            assertThat(loaded.card().features()).isEqualTo(FEATURES);
            assertThat(loaded.card().threads()).isEqualTo(2);
            assertThat(bits(loaded.predict(test.rows().x()))).isEqualTo(bits(predicted));
        }
        try (Model again = trainer.fit(fit)) {
            assertThat(bits(again.predict(test.rows().x()))).as("refit with the same seed").isEqualTo(bits(predicted));
        }
    }

    /** A bar's batch runs on one thread, the research batch on the card's threads: the same bits either way. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("trainers")
    void barSizedBatchesPredictTheBitsOfTheWholeBatch(ModelTrainer trainer, Task task) {
        Data test = synthetic(NativeModel.SINGLE_THREAD_ROWS + 1500, 4, task == Task.CLASSIFICATION);
        try (Model m = trainer.fit(request(trainer, task, trainer instanceof RidgeTrainer ? Map.of() : Map.of("rounds", 40)))) {
            assertThat(m.card().threads()).isEqualTo(2);
            double[] whole = m.predict(test.rows().x());
            double[] pieces = new double[whole.length];
            for (int from = 0; from < whole.length; from += 50) {
                int to = Math.min(whole.length, from + 50);
                System.arraycopy(m.predict(test.rows().x().rows(from, to)), 0, pieces, from, to - from);
            }
            assertThat(bits(pieces)).isEqualTo(bits(whole));
            // And back: the whole batch again after the bar-sized ones, threads restored.
            assertThat(bits(m.predict(test.rows().x()))).isEqualTo(bits(whole));
        }
    }

    @Test
    void tamperedArtifactsAreRefused(@TempDir Path tmp) throws IOException {
        XGBoostTrainer t = new XGBoostTrainer();
        try (Model m = t.fit(request(t, Task.REGRESSION, Map.of("rounds", 20)))) {
            m.save(tmp.resolve("a"));
        }
        Path file = tmp.resolve("a").resolve("xgboost.ubj");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> ModelArtifact.load(tmp.resolve("a"))).isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("xgboost.ubj").hasMessageContaining("checksum");
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        ModelArtifact.load(tmp.resolve("a")).close();
        Files.writeString(tmp.resolve("a").resolve("extra.bin"), "x");
        assertThatThrownBy(() -> ModelArtifact.load(tmp.resolve("a"))).isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("extra.bin");
        assertThatThrownBy(() -> ModelArtifact.load(tmp.resolve("none"))).isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("not a model artifact");
    }

    @Test
    void badRequestsFailClearly() {
        XGBoostTrainer t = new XGBoostTrainer();
        assertThatThrownBy(() -> t.searchSpace().withOverrides(Map.of("depth", 3)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unknown xgboost hyperparameter 'depth'")
                .hasMessageContaining("max_depth");
        assertThatThrownBy(() -> t.searchSpace().withOverrides(Map.of("max_depth", 3.5)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("integer");
        RidgeTrainer ridge = new RidgeTrainer();
        assertThatThrownBy(() -> ridge.fit(request(ridge, Task.CLASSIFICATION, Map.of())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("regression targets only");
        try (Model m = t.fit(request(t, Task.REGRESSION, Map.of("rounds", 5)))) {
            assertThatThrownBy(() -> m.predict(new FeatureMatrix(new float[14], 2, 7)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("expects 8 features");
        }
    }

    @Test
    void nonNegativeRidgeKeepsWeightsAtOrAboveZero() {
        RidgeTrainer t = new RidgeTrainer();
        try (Model m = t.fit(request(t, Task.REGRESSION, Map.of("non_negative", 1)))) {
            double[] w = ((io.foresail.models.linear.RidgeModel) m).coefficients().weights();
            assertThat(java.util.Arrays.stream(w).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
            // f0 carries a positive signal; f1 x f2 has no linear part: only f0 (and f3) should be clearly used.
            assertThat(w[0]).isGreaterThan(0.1);
        }
    }

    static long[] bits(double[] v) {
        return java.util.Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
