package io.foresail.models.sequence;

import io.foresail.core.stats.Correlation;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.Task;
import io.foresail.models.FitProvenance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The LSTM and the Transformer on a signal only a memory can see (the sum of a feature over a symbol's last five bars,
 * with symbols interleaved): it learns it out of sample, a saved and reloaded model predicts the
 * same bits, and a refit with the same seed and threads predicts the same bits.
 */
class SequenceNetTest {
    private static final int SYMBOLS = 4;
    private static final int BARS = 2500;
    private static final int LENGTH = 8;

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> networks() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(SequenceNetTrainer.lstm(),
                        Map.of("hidden", 16, "layers", 1, "epochs", 12, "learning_rate", 0.005)),
                org.junit.jupiter.params.provider.Arguments.of(SequenceNetTrainer.transformer(),
                        Map.of("d_model", 16, "heads", 2, "layers", 1, "epochs", 12, "learning_rate", 0.003)));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("networks")
    void learnsAMemorySignalAndRoundTripsBitIdentically(SequenceNetTrainer trainer, Map<String, Object> overrides,
                                                        @TempDir Path tmp) throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        int rows = SYMBOLS * BARS;
        int p = 3;
        float[] x = new float[rows * p];
        int[] symbol = new int[rows];
        float[] y = new float[rows];
        double[] signal = new double[rows];
        double[][] recent = new double[SYMBOLS][5];
        for (int t = 0; t < BARS; t++) {
            for (int s = 0; s < SYMBOLS; s++) {
                int row = t * SYMBOLS + s;
                symbol[row] = s;
                double shock = r.nextGaussian();
                x[row * p] = (float) shock;
                x[row * p + 1] = (float) r.nextGaussian();
                x[row * p + 2] = r.nextInt(20) == 0 ? Float.NaN : (float) r.nextGaussian();
                System.arraycopy(recent[s], 1, recent[s], 0, 4);
                recent[s][4] = shock;
                signal[row] = 0.4 * java.util.Arrays.stream(recent[s]).sum();
                y[row] = (float) (signal[row] + 0.5 * r.nextGaussian());
            }
        }
        SequenceWindows w = new SequenceWindows(new FeatureMatrix(x, rows, p), SequenceWindows.links(symbol, SYMBOLS), LENGTH);
        int[] complete = IntStream.range(0, rows).filter(w::complete).toArray();
        int[] train = IntStream.of(complete).filter(i -> i < rows * 0.7).toArray();
        int[] validation = IntStream.of(complete).filter(i -> i >= rows * 0.7 && i < rows * 0.85).toArray();
        int[] test = IntStream.of(complete).filter(i -> i >= rows * 0.85).toArray();
        SequenceFitRequest fit = new SequenceFitRequest(w, train, labels(y, train), validation, labels(y, validation), new FitProvenance(Task.REGRESSION, trainer.searchSpace().withOverrides(overrides), List.of("shock", "noise", "gappy"), "label_fwd_1_raw", "synthetic", null, null, 3, 1));
        FeatureMatrix windows = w.windows(test);
        double[] predicted;
        try (SequenceNetModel model = trainer.fit(fit)) {
            predicted = model.predict(windows);
            model.save(tmp.resolve("lstm"));
            assertThat(model.card().sequenceLength()).isEqualTo(LENGTH);
        }
        double[] truth = IntStream.of(test).mapToDouble(i -> signal[i]).toArray();
        assertThat(Correlation.pearson(predicted, truth)).as("out-of-sample correlation with the signal").isGreaterThan(0.8);
        try (Model loaded = ModelArtifact.load(tmp.resolve("lstm"))) {
            assertThat(loaded.card().type()).isEqualTo(trainer.type());
            assertThat(bits(loaded.predict(windows))).isEqualTo(bits(predicted));
            barSizedPredictionsRunHereWithTheSameBitsAndNoDirectBuffers(loaded, windows);
            // A loaded model saves again (training saves the models its Spark trials sent back as files).
            loaded.save(tmp.resolve("again"));
        }
        try (Model again = ModelArtifact.load(tmp.resolve("again"))) {
            assertThat(bits(again.predict(windows))).isEqualTo(bits(predicted));
        }
        SequenceNetModel refit = trainer.fit(fit);
        try (refit) {
            assertThat(bits(refit.predict(windows))).as("refit with the same seed and threads").isEqualTo(bits(predicted));
            assertThat(bits(refit.predict(w, test))).as("the narrow gather predicts the same").isEqualTo(bits(predicted));
        }
        // Closed means closed on every entry point: PyTorch memory is gone, so no call may reach it.
        assertThatThrownBy(() -> refit.predict(windows)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model is closed");
        assertThatThrownBy(() -> refit.predict(w, test)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> refit.save(tmp.resolve("closed"))).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A bar's batch (ten windows: 80 rows, under the 4,096 that go to the PyTorch thread) is predicted
     * on the calling thread, with the same bits on any thread, and repeated predictions leave no
     * input copies in direct buffers behind for a GC to find (each used to allocate one). Bits are compared batch
     * for batch: a matrix product's kernels treat the rows of a small batch's last block on another
     * path than the same rows inside a big batch, so the live path and batch prediction both
     * predict bar by bar.
     */
    private static void barSizedPredictionsRunHereWithTheSameBitsAndNoDirectBuffers(Model loaded, FeatureMatrix windows)
            throws Exception {
        FeatureMatrix bar = windows.select(IntStream.range(0, 10 * LENGTH).toArray());
        double[][] elsewhere = new double[1][];
        Thread other = new Thread(() -> elsewhere[0] = loaded.predict(bar), "another-bar-thread");
        other.start();
        other.join();
        double[] expected = elsewhere[0];
        assertThat(expected).hasSize(10);
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        assertThat(bits(loaded.predict(bar))).as("the same batch on this thread").isEqualTo(bits(expected));
        long before = direct.getMemoryUsed();
        for (int i = 0; i < 200; i++) {
            assertThat(bits(loaded.predict(bar))).isEqualTo(bits(expected));
        }
        // Each input used to leave its own copy (960 bytes here, 100 kB for a real bar); what may
        // remain is DJL's few bytes for a scalar operand inside the attention block.
        assertThat(direct.getMemoryUsed() - before).as("direct buffer bytes left by 200 predictions").isLessThan(32 * 1024);
    }

    private static float[] labels(float[] y, int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }

    private static long[] bits(double[] v) {
        return java.util.Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
