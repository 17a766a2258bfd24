package io.foresail.pipelines.training;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.stats.Correlation;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.gbm.XGBoostTrainer;
import io.foresail.models.FitProvenance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * XGBoost fitted across Spark workers (xgboost4j-spark, barrier tasks, the collective on the
 * driver): one worker reproduces the local fit bit for bit; two workers learn the planted signal,
 * refit identically, early-stop, and save an artifact that reloads to the same bits.
 */
class DistributedXGBoostTest {
    private static final int P = 6;
    private static final List<String> FEATURES = IntStream.range(0, P).mapToObj(i -> "x" + i).toList();
    private static SparkTrialRunner spark;

    @BeforeAll
    static void start() {
        spark = SparkTrialRunner.start("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    /** y = 0.5 x0 - 0.3 x1 x2 + noise, a few missing values; {@code signal} is the noiseless part. */
    private static TrainingData rows(int n, long seed, double[] signal, boolean classes) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * P];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < P; j++) {
                x[i * P + j] = r.nextInt(40) == 0 ? Float.NaN : (float) r.nextGaussian();
            }
            double s = 0.5 * nz(x[i * P]) - 0.3 * nz(x[i * P + 1]) * nz(x[i * P + 2]);
            if (signal != null) {
                signal[i] = s;
            }
            double noisy = s + 0.7 * r.nextGaussian();
            y[i] = classes ? (noisy > 0 ? 1f : 0f) : (float) noisy;
        }
        return new TrainingData(new FeatureMatrix(x, n, P), y);
    }

    private static double nz(float v) {
        return Float.isNaN(v) ? 0 : v;
    }

    private static FitRequest request(Task task, Map<String, ?> overrides) {
        boolean classes = task == Task.CLASSIFICATION;
        return new FitRequest(rows(4000, 1, null, classes), rows(1500, 2, null, classes), new FitProvenance(task,
                new XGBoostTrainer().searchSpace().withOverrides(overrides), FEATURES,
                classes ? "label_dir_1_class" : "label_fwd_1_raw", "0123456789abcdef",
                "2023-01-03T14:30:00Z", "2023-06-30T19:45:00Z", 11, 1));
    }

    private static long[] bits(double[] v) {
        return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    @Test
    void oneWorkerIsTheLocalFitBitForBit() {
        FitRequest fit = request(Task.REGRESSION, Map.of("rounds", 60));
        FeatureMatrix test = rows(1000, 3, null, false).x();
        try (Model local = new XGBoostTrainer().fit(fit);
             Model distributed = new DistributedXGBoostTrainer(spark.session(), 1).fit(fit)) {
            assertThat(distributed.card().attributes()).containsEntry("workers", "1");
            assertThat(bits(distributed.predict(test))).isEqualTo(bits(local.predict(test)));
        }
    }

    @Test
    void twoWorkersLearnEarlyStopRefitIdenticallyAndReload(@TempDir Path tmp) {
        double[] signal = new double[2000];
        FeatureMatrix test = rows(2000, 3, signal, false).x();
        FitRequest fit = request(Task.REGRESSION, Map.of("rounds", 400, "early_stopping_rounds", 15, "eta", 0.3));
        DistributedXGBoostTrainer trainer = new DistributedXGBoostTrainer(spark.session(), 2);
        assertThat(trainer.distributed()).isTrue();
        double[] predicted;
        try (Model m = trainer.fit(fit)) {
            predicted = m.predict(test);
            int trees = Integer.parseInt(m.card().attributes().get("trees"));
            assertThat(trees).as("early-stopped trees").isBetween(2, 399);
            assertThat(m.card().attributes()).containsEntry("workers", "2");
            m.save(tmp.resolve("m"));
        }
        assertThat(Correlation.pearson(predicted, signal)).as("correlation with the planted signal").isGreaterThan(0.7);
        try (Model again = trainer.fit(fit); Model loaded = ModelArtifact.load(tmp.resolve("m"))) {
            assertThat(bits(again.predict(test))).as("refit on two workers").isEqualTo(bits(predicted));
            assertThat(bits(loaded.predict(test))).as("reloaded artifact").isEqualTo(bits(predicted));
        }
    }

    @Test
    void classifiesWithProbabilities() {
        FitRequest fit = request(Task.CLASSIFICATION, Map.of("rounds", 80));
        double[] signal = new double[1000];
        FeatureMatrix test = rows(1000, 4, signal, true).x();
        try (Model m = new DistributedXGBoostTrainer(spark.session(), 2).fit(fit)) {
            double[] p = m.predict(test);
            assertThat(Arrays.stream(p).allMatch(v -> v > 0 && v < 1)).as("probabilities").isTrue();
            assertThat(Correlation.pearson(p, signal)).isGreaterThan(0.5);
        }
    }

    @Test
    void refusesMoreWorkersThanTaskSlots() {
        assertThatThrownBy(() -> new DistributedXGBoostTrainer(spark.session(), 3))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--workers 3 exceeds the 2 task slots");
    }
}
