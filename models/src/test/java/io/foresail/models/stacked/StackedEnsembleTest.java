package io.foresail.models.stacked;

import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelIntegrityException;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.gbm.XGBoostTrainer;
import io.foresail.models.linear.RidgeTrainer;
import io.foresail.models.sequence.SequenceFitRequest;
import io.foresail.models.sequence.SequenceNetTrainer;
import io.foresail.models.sequence.SequenceWindows;
import io.foresail.models.FitProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stacked ensemble of real members (ridge, XGBoost and an LSTM) is one artifact directory: it
 * predicts the meta-learner's blend of what each member predicts on its own slice of the windows,
 * loads back bit-identically, and its checksums cover every member's files.
 */
class StackedEnsembleTest {
    private static final int SYMBOLS = 6;
    private static final int BARS = 400;
    private static final int P = 3;
    private static final int LENGTH = 4;
    private static final List<String> FEATURES = List.of("momentum", "noise", "gappy");

    @TempDir
    static Path dir;
    private static FeatureMatrix pool;
    private static float[] y;
    private static SequenceWindows windows;
    private static int[] samples;

    @BeforeAll
    static void market() {
        SplittableRandom r = new SplittableRandom(7);
        int rows = SYMBOLS * BARS;
        float[] x = new float[rows * P];
        int[] symbol = new int[rows];
        y = new float[rows];
        for (int row = 0; row < rows; row++) {
            symbol[row] = row % SYMBOLS;
            x[row * P] = (float) r.nextGaussian();
            x[row * P + 1] = (float) r.nextGaussian();
            x[row * P + 2] = r.nextInt(10) == 0 ? Float.NaN : (float) r.nextGaussian();
            y[row] = (float) (0.5 * x[row * P] + 0.2 * Math.max(0, x[row * P + 1]) + 0.5 * r.nextGaussian());
        }
        pool = new FeatureMatrix(x, rows, P);
        windows = new SequenceWindows(pool, SequenceWindows.links(symbol, SYMBOLS), LENGTH);
        samples = IntStream.range(0, rows).filter(windows::complete).toArray();
    }

    private static FitRequest rows(Task task, io.foresail.models.Hyperparameters h) {
        int cut = pool.rows() * 3 / 4;
        int[] train = IntStream.range(0, cut).toArray();
        int[] validation = IntStream.range(cut, pool.rows()).toArray();
        return new FitRequest(new TrainingData(pool.select(train), labels(train)),
                new TrainingData(pool.select(validation), labels(validation)), new FitProvenance(task, h, FEATURES, "label_fwd_1_raw",
                "synthetic", "2024-01-02T14:30:00Z", "2024-06-28T19:45:00Z", 5, 1));
    }

    private static float[] labels(int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }

    private static StackedEnsemble ensemble() {
        List<Model> members = new ArrayList<>();
        RidgeTrainer ridge = new RidgeTrainer();
        members.add(ridge.fit(rows(Task.REGRESSION, ridge.searchSpace().defaults())));
        XGBoostTrainer xgb = new XGBoostTrainer();
        members.add(xgb.fit(rows(Task.REGRESSION, xgb.searchSpace().withOverrides(Map.of("rounds", 30)))));
        SequenceNetTrainer lstm = SequenceNetTrainer.lstm();
        int cut = samples.length * 3 / 4;
        int[] train = Arrays.copyOf(samples, cut);
        int[] validation = Arrays.copyOfRange(samples, cut, samples.length);
        members.add(lstm.fit(new SequenceFitRequest(windows, train, labels(train), validation, labels(validation), new FitProvenance(Task.REGRESSION, lstm.searchSpace().withOverrides(Map.of("hidden", 4, "layers", 1, "epochs", 1)),
                FEATURES, "label_fwd_1_raw", "synthetic", null, null, 5, 1))));
        // The meta-learner is fitted here on the members' predictions of the pool's complete rows.
        double[][] columns = new double[4][];
        columns[0] = members.get(0).predict(pool.select(samples));
        columns[1] = members.get(1).predict(pool.select(samples));
        columns[2] = members.get(2).predict(windows.windows(samples));
        columns[3] = IntStream.of(samples).mapToDouble(s -> pool.get(s, 2)).toArray();
        double[] target = IntStream.of(samples).mapToDouble(s -> y[s]).toArray();
        MetaLearner meta = MetaLearner.fit(List.of("ridge", "xgboost", "lstm", "gappy"), columns, target, 3,
                Task.REGRESSION, 0.5, true);
        List<StackedEnsemble.MemberEntry> entries = List.of(
                new StackedEnsemble.MemberEntry("ridge", "ridge", "members/ridge", 0, 0.1),
                new StackedEnsemble.MemberEntry("xgboost", "xgboost", "members/xgboost", 0, 0.2),
                new StackedEnsemble.MemberEntry("lstm", "lstm", "members/lstm", LENGTH, null));
        ModelCard card = new ModelCard(ModelCard.FORMAT, StackedEnsemble.TYPE, Task.REGRESSION, "synthetic", FEATURES,
                LENGTH, "label_fwd_1_raw", Map.of("alpha", 0.5), null, null, Map.of("oos_rank_ic", 0.25), 5, 1, List.of(),
                Map.of("members", "ridge,xgboost,lstm"));
        return new StackedEnsemble(card, new StackedEnsemble.Manifest(StackedEnsemble.MANIFEST_FORMAT, entries,
                List.of("gappy"), meta), members);
    }

    @Test
    void predictsTheBlendOfItsMembersAndLoadsBackBitIdentically() throws Exception {
        int[] some = Arrays.copyOfRange(samples, samples.length - 300, samples.length);
        FeatureMatrix input = windows.windows(some);
        double[] predicted;
        Path saved = dir.resolve("ensemble");
        try (StackedEnsemble e = ensemble()) {
            predicted = e.predict(input);
            // By hand: row members and passthrough read each window's last row, the LSTM the whole window.
            FeatureMatrix last = pool.select(some);
            double[][] columns = {e.members().get(0).predict(last), e.members().get(1).predict(last),
                    e.members().get(2).predict(input), IntStream.of(some).mapToDouble(s -> pool.get(s, 2)).toArray()};
            // The blend by its documented formula, not by the meta-learner's own predict:
            // z = intercept + sum_j w_j (x_j - mean_j) / scale_j, a missing input adding nothing.
            MetaLearner m = e.meta();
            assertThat(m.logistic()).isFalse();
            for (int i = 0; i < some.length; i++) {
                double z = m.intercept();
                for (int j = 0; j < columns.length; j++) {
                    double x = columns[j][i];
                    z += Double.isNaN(x) ? 0 : m.weights()[j] * (x - m.mean()[j]) / m.scale()[j];
                }
                assertThat(predicted[i]).as("row %d", i).isCloseTo(z, org.assertj.core.api.Assertions.within(1e-12 * Math.max(1, Math.abs(z))));
            }
            assertThat(e.meta().weights()[0]).isGreaterThanOrEqualTo(0);
            assertThat(e.featureImportance().keySet()).containsExactlyElementsOf(FEATURES);
            e.save(saved);
        }
        assertThat(saved.resolve("members/lstm/model.json")).exists();
        assertThat(Files.readString(saved.resolve(ModelArtifact.CHECKSUMS))).contains("members/xgboost/")
                .contains("members/lstm/checksums.sha256").contains(StackedEnsemble.MANIFEST);
        try (Model loaded = ModelArtifact.load(saved)) {
            assertThat(loaded).isInstanceOf(StackedEnsemble.class);
            assertThat(loaded.card().sequenceLength()).isEqualTo(LENGTH);
            assertThat(bits(loaded.predict(input))).isEqualTo(bits(predicted));
            assertThatThrownBy(() -> loaded.predict(pool.rows(0, 7))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("windows of 4 rows");
        }
        // A member's file altered after saving fails the ensemble's own checksums before anything loads.
        Path member = saved.resolve("members/ridge");
        String file = ModelArtifact.readCard(member).files().get(0);
        Files.write(member.resolve(file), new byte[]{1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ModelArtifact.load(saved)).isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("members/ridge/" + file);
    }

    @Test
    void aManifestThatDisagreesWithItsMembersIsRefused() {
        try (StackedEnsemble e = ensemble()) {
            StackedEnsemble.Manifest m = e.manifest();
            StackedEnsemble.Manifest noPassthrough = new StackedEnsemble.Manifest(m.format(), m.members(), List.of(), m.meta());
            assertThatThrownBy(() -> new StackedEnsemble(e.card(), noPassthrough, e.members()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("meta-learner inputs");
            ModelCard rowsOnly = new ModelCard(ModelCard.FORMAT, StackedEnsemble.TYPE, Task.REGRESSION, "synthetic",
                    FEATURES, 0, "label_fwd_1_raw", Map.of(), null, null, Map.of(), 5, 1, List.of(), Map.of());
            assertThatThrownBy(() -> new StackedEnsemble(rowsOnly, m, e.members()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("member lstm needs windows of 4 bars");
        }
    }

    @Test
    void membersSideBySideGiveTheSameBitsAndAMembersFailureFailsThePrediction() throws Exception {
        FeatureMatrix input = windows.windows(Arrays.copyOfRange(samples, samples.length - 200, samples.length));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (StackedEnsemble e = ensemble()) {
            long[] alone = bits(e.predict(input));
            java.util.concurrent.atomic.AtomicInteger handedOver = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.Executor counted = r -> {
                handedOver.incrementAndGet();
                pool.execute(r);
            };
            // Several rounds: the lanes are dealt again from each member's last time.
            for (int round = 0; round < 4; round++) {
                for (int helpers = 1; helpers <= 3; helpers++) {
                    assertThat(bits(e.predict(input, counted, helpers))).as("round %d, %d helpers", round, helpers)
                            .isEqualTo(alone);
                }
            }
            assertThat(handedOver.get()).as("one lane per helper, up to the members less the caller's")
                    .isEqualTo(4 * (1 + 2 + 2));

            // A member that fails fails the prediction with its own exception: first on the caller's lane (no
            // member has a time yet: dealt in the manifest's order), then on a helper's (it has none, the others do).
            Model broken = new Model() {
                @Override
                public ModelCard card() {
                    return e.members().get(0).card();
                }

                @Override
                public double[] predict(FeatureMatrix x) {
                    throw new IllegalStateException("member broke");
                }

                @Override
                public List<String> writeFiles(Path d) {
                    return List.of();
                }

                @Override
                public void close() {
                }
            };
            StackedEnsemble failing = new StackedEnsemble(e.card(), e.manifest(),
                    List.of(broken, e.members().get(1), e.members().get(2)));
            for (int helpers = 1; helpers <= 2; helpers++) {
                int h = helpers;
                assertThatThrownBy(() -> failing.predict(input, pool, h)).isInstanceOf(IllegalStateException.class)
                        .hasMessage("member broke");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long[] bits(double[] v) {
        return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
