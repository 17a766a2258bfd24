package io.foresail.models.sequence;

import io.foresail.core.stats.Correlation;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.Task;
import io.foresail.models.FitProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sequence fit within its training budget: of 40 inputs only two carry the signal (one through a
 * five-bar memory), the fit keeps 6 inputs and a sample of the windows. It must keep the two signal
 * columns, still learn the signal out of sample, say in its card what it used, and reload to the
 * same predictions from the full-width windows the ensemble gives it.
 */
class SequenceBudgetTest {
    private static final int SYMBOLS = 4;
    private static final int BARS = 2500;
    private static final int P = 40;
    private static final int LENGTH = 8;

    @Test
    void keepsTheSignalColumnsAndASampleOfWindows(@TempDir Path tmp) {
        SplittableRandom r = new SplittableRandom(5);
        int rows = SYMBOLS * BARS;
        float[] x = new float[rows * P];
        int[] symbol = new int[rows];
        float[] y = new float[rows];
        double[] signal = new double[rows];
        double[][] recent = new double[SYMBOLS][5];
        for (int t = 0; t < BARS; t++) {
            for (int s = 0; s < SYMBOLS; s++) {
                int row = t * SYMBOLS + s;
                symbol[row] = s;
                for (int j = 0; j < P; j++) {
                    x[row * P + j] = (float) r.nextGaussian();
                }
                System.arraycopy(recent[s], 1, recent[s], 0, 4);
                recent[s][4] = x[row * P + 11];
                signal[row] = 0.3 * Arrays.stream(recent[s]).sum() + 0.5 * x[row * P + 29];
                y[row] = (float) (signal[row] + 0.5 * r.nextGaussian());
            }
        }
        SequenceWindows w = new SequenceWindows(new FeatureMatrix(x, rows, P), SequenceWindows.links(symbol, SYMBOLS), LENGTH);
        int[] complete = IntStream.range(0, rows).filter(w::complete).toArray();
        int[] train = IntStream.of(complete).filter(i -> i < rows * 0.7).toArray();
        int[] validation = IntStream.of(complete).filter(i -> i >= rows * 0.7 && i < rows * 0.85).toArray();
        int[] test = IntStream.of(complete).filter(i -> i >= rows * 0.85).toArray();
        SequenceNetTrainer trainer = SequenceNetTrainer.lstm();
        List<String> names = IntStream.range(0, P).mapToObj(j -> "f" + j).toList();
        SequenceFitRequest fit = new SequenceFitRequest(w, train, take(y, train), validation, take(y, validation), new FitProvenance(Task.REGRESSION, trainer.searchSpace().withOverrides(Map.of("hidden", 16, "layers", 1, "epochs", 12,
                "patience", 3, "learning_rate", 0.005, "batch_size", 128, "input_features", 6, "max_train_samples", 4000,
                "max_validation_samples", 1000)), names, "label_fwd_1_raw", "synthetic", null, null, 3, 1));
        FeatureMatrix windows = w.windows(test);
        double[] predicted;
        try (SequenceNetModel model = trainer.fit(fit)) {
            predicted = model.predict(windows);
            model.save(tmp.resolve("m"));
            Map<String, String> a = model.card().attributes();
            assertThat(a).containsEntry("inputs", "6 of 40")
                    .containsEntry("train_samples", "4000 of " + train.length)
                    .containsEntry("validation_samples", "1000 of " + validation.length);
            assertThat(List.of(a.get("input_features").split(","))).hasSize(6).contains("f11", "f29");
            assertThat(model.card().features()).as("the card still takes every column").isEqualTo(names);
        }
        double[] truth = IntStream.of(test).mapToDouble(i -> signal[i]).toArray();
        assertThat(Correlation.pearson(predicted, truth)).as("out-of-sample correlation with the signal").isGreaterThan(0.7);
        try (Model loaded = ModelArtifact.load(tmp.resolve("m"))) {
            assertThat(Arrays.stream(loaded.predict(windows)).mapToLong(Double::doubleToRawLongBits).toArray())
                    .isEqualTo(Arrays.stream(predicted).mapToLong(Double::doubleToRawLongBits).toArray());
        }
    }

    @Test
    void samplesAreSeededUniqueAndAscending() {
        int[] a = SequenceNetTrainer.Budget.sample(1000, 100, new SplittableRandom(1));
        int[] b = SequenceNetTrainer.Budget.sample(1000, 100, new SplittableRandom(1));
        assertThat(a).isEqualTo(b).hasSize(100).isSorted().doesNotHaveDuplicates();
        assertThat(IntStream.of(a).allMatch(i -> i >= 0 && i < 1000)).isTrue();
        assertThat(SequenceNetTrainer.Budget.sample(50, 100, new SplittableRandom(1))).as("a cap above n keeps all")
                .isEqualTo(IntStream.range(0, 50).toArray());
        assertThat(SequenceNetTrainer.Budget.sample(50, 0, new SplittableRandom(1))).hasSize(50);
    }

    private static float[] take(float[] y, int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }
}
