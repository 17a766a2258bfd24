package io.foresail.registry;

import io.foresail.core.io.Directories;
import io.foresail.core.io.Sha256;
import io.foresail.models.stacked.MetaLearner;
import io.foresail.models.stacked.StackedEnsemble;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitProvenance;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelIntegrityException;
import io.foresail.models.ModelTrainer;
import io.foresail.models.ModelTypes;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.onnx.OnnxModel;
import io.foresail.models.sequence.SequenceFitRequest;
import io.foresail.models.sequence.SequenceTrainer;
import io.foresail.models.sequence.SequenceWindows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every model type against every way an artifact can be damaged or forged. A flipped byte, a
 * truncated or deleted file, an unlisted extra file and an edited card are refused by the artifact's
 * own checksum list ({@link ModelArtifact#load}). A consistent rewrite, a file changed and the
 * checksum list recomputed to match, passes that check by construction; it is caught only by the
 * registry's digest of the list as registered, in {@link ModelCache}. Each case also checks the
 * untouched copy still loads and predicts, so a refusal cannot come from a broken fixture.
 */
class TamperMatrixTest {
    private static final List<String> FEATURES = List.of("a", "b", "c");
    private static final int LENGTH = 4;
    @TempDir
    static Path root;
    private static final Map<String, Path> SAVED = new LinkedHashMap<>();
    private static FeatureMatrix rows;
    private static FeatureMatrix windows;

    enum Damage { FLIP, TRUNCATE, DELETE, EXTRA_FILE, EDITED_CARD, CONSISTENT_REWRITE }

    @BeforeAll
    static void saveOneOfEachType() throws Exception {
        int n = 400;
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[n * 3];
        float[] y = new float[n];
        int[] symbol = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) r.nextGaussian();
            }
            y[i] = x[i * 3] - 0.5f * x[i * 3 + 1] + (float) r.nextGaussian() * 0.3f;
            symbol[i] = i % 4;
        }
        FeatureMatrix pool = new FeatureMatrix(x, n, 3);
        int[] train = IntStream.range(0, 300).toArray();
        int[] validation = IntStream.range(300, n).toArray();
        rows = pool.select(IntStream.range(0, 20).toArray());
        SequenceWindows w = new SequenceWindows(pool, SequenceWindows.links(symbol, 4), LENGTH);
        int[] complete = IntStream.range(0, n).filter(w::complete).toArray();
        windows = w.windows(IntStream.of(complete).limit(10).toArray());

        List<Model> members = new ArrayList<>();
        for (var e : ModelTypes.trainers().entrySet()) {
            Map<String, Object> small = Map.of();
            Model m;
            if (e.getValue() instanceof SequenceTrainer st) {
                int[] ts = IntStream.of(complete).filter(i -> i < 300).toArray();
                int[] vs = IntStream.of(complete).filter(i -> i >= 300).toArray();
                m = st.fit(new SequenceFitRequest(w, ts, take(y, ts), vs, take(y, vs), provenance(
                        st.searchSpace().withOverrides(e.getKey().equals("lstm") ? Map.of("hidden", 4, "epochs", 1)
                                : Map.of("d_model", 8, "heads", 2, "epochs", 1)))));
            } else {
                ModelTrainer t = (ModelTrainer) e.getValue();
                if (!e.getKey().equals("ridge")) {
                    small = Map.of("rounds", 10);
                }
                m = t.fit(new FitRequest(new TrainingData(pool.select(train), take(y, train)),
                        new TrainingData(pool.select(validation), take(y, validation)), provenance(t.searchSpace().withOverrides(small))));
            }
            try (m) {
                m.save(root.resolve(e.getKey()));
            }
            if (e.getKey().equals("ridge") || e.getKey().equals("xgboost")) {
                members.add(ModelArtifact.load(root.resolve(e.getKey())));
            }
            SAVED.put(e.getKey(), root.resolve(e.getKey()));
        }
        try (OnnxModel onnx = OnnxModel.importFile(tribuoOnnx(x, y), new ModelCard(ModelCard.FORMAT, OnnxModel.TYPE,
                Task.REGRESSION, "external", FEATURES, 0, "y", Map.of(), null, null, Map.of(), 0, 1, List.of(), Map.of()))) {
            onnx.save(root.resolve("onnx"));
        }
        SAVED.put("onnx", root.resolve("onnx"));

        double[][] columns = {members.get(0).predict(pool), members.get(1).predict(pool)};
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            target[i] = y[i];
        }
        MetaLearner meta = MetaLearner.fit(List.of("ridge", "xgboost"), columns, target, 2, Task.REGRESSION, 0.5, true);
        ModelCard card = new ModelCard(ModelCard.FORMAT, StackedEnsemble.TYPE, Task.REGRESSION, "synthetic", FEATURES, 0,
                "y", Map.of("alpha", 0.5), null, null, Map.of(), 5, 1, List.of(), Map.of());
        try (StackedEnsemble e = new StackedEnsemble(card, new StackedEnsemble.Manifest(StackedEnsemble.MANIFEST_FORMAT,
                List.of(new StackedEnsemble.MemberEntry("ridge", "ridge", "members/ridge", 0, null),
                        new StackedEnsemble.MemberEntry("xgboost", "xgboost", "members/xgboost", 0, null)),
                List.of(), meta), members)) {
            e.save(root.resolve("stacked-ensemble"));
        }
        SAVED.put("stacked-ensemble", root.resolve("stacked-ensemble"));
        assertThat(SAVED.keySet()).as("one artifact per model type on the classpath")
                .containsExactlyInAnyOrderElementsOf(ModelTypes.all().keySet());
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (String type : List.of("lightgbm", "lstm", "onnx", "ridge", "stacked-ensemble", "transformer", "xgboost")) {
            for (Damage d : Damage.values()) {
                out.add(Arguments.of(type, d));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("matrix")
    void everyDamageIsRefused(String type, Damage damage, @TempDir Path tmp) throws IOException {
        Path original = SAVED.get(type);
        String registeredDigest = Sha256.ofFile(original.resolve(ModelArtifact.CHECKSUMS));
        Path copy = tmp.resolve("copy");
        Directories.copyTree(original, copy);
        // The untouched copy loads, predicts, and installs under its registered digest.
        try (Model m = ModelArtifact.load(copy)) {
            assertThat(m.predict(m.card().sequenceLength() > 0 ? windows : rows)).isNotEmpty();
        }
        ModelCache cache = new ModelCache(tmp.resolve("cache"));
        assertThat(cache.install(type, "1", registeredDigest, staging -> Directories.copyTree(copy, staging))).isDirectory();

        Path victim = payload(copy);
        switch (damage) {
            case FLIP -> {
                byte[] b = Files.readAllBytes(victim);
                b[b.length / 2] ^= 0x01;
                Files.write(victim, b);
            }
            case TRUNCATE -> {
                byte[] b = Files.readAllBytes(victim);
                Files.write(victim, java.util.Arrays.copyOf(b, b.length / 2));
            }
            case DELETE -> Files.delete(victim);
            case EXTRA_FILE -> Files.writeString(victim.resolveSibling("notes.txt"), "unlisted");
            case EDITED_CARD -> {
                Path card = copy.resolve(ModelCard.FILE);
                Files.writeString(card, Files.readString(card).replace("\"threads\" : 1", "\"threads\" : 2"));
                assertThat(Files.readString(card)).contains("\"threads\" : 2");
            }
            case CONSISTENT_REWRITE -> {
                byte[] b = Files.readAllBytes(victim);
                b[b.length / 2] ^= 0x01;
                Files.write(victim, b);
                // Re-list every checksum file from the inside out, as a forger would.
                List<Path> lists;
                try (Stream<Path> s = Files.walk(copy)) {
                    lists = s.filter(p -> p.getFileName().toString().equals(ModelArtifact.CHECKSUMS))
                            .sorted(java.util.Comparator.comparingInt(Path::getNameCount).reversed()).toList();
                }
                for (Path list : lists) {
                    Files.delete(list);
                    ModelArtifact.writeChecksums(list.getParent());
                }
            }
        }
        if (damage == Damage.CONSISTENT_REWRITE) {
            // The artifact's own list agrees with its files: only the registered digest can tell.
            ModelArtifact.verify(copy);
            assertThatThrownBy(() -> new ModelCache(tmp.resolve("cache2")).install(type, "1", registeredDigest,
                    staging -> Directories.copyTree(copy, staging)))
                    .isInstanceOf(ModelIntegrityException.class).hasMessageContaining("is not the list registered with this version");
        } else {
            assertThatThrownBy(() -> ModelArtifact.load(copy)).isInstanceOf(ModelIntegrityException.class)
                    .hasMessageContaining(copy.toString());
            assertThatThrownBy(() -> new ModelCache(tmp.resolve("cache2")).install(type, "1", registeredDigest,
                    staging -> Directories.copyTree(copy, staging))).isInstanceOf(ModelIntegrityException.class);
        }
        assertThat(tmp.resolve("cache2").resolve(type).resolve("1")).as("nothing damaged is installed").doesNotExist();
    }

    /** The artifact's largest data file: the native model, or for an ensemble a member's. */
    private static Path payload(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals(ModelArtifact.CHECKSUMS)
                            && !p.getFileName().toString().equals(ModelCard.FILE))
                    .max(java.util.Comparator.comparingLong((Path p) -> p.toFile().length()).thenComparing(Path::toString))
                    .orElseThrow();
        }
    }

    private static FitProvenance provenance(io.foresail.models.Hyperparameters h) {
        return new FitProvenance(Task.REGRESSION, h, FEATURES, "y", "synthetic", null, null, 5, 1);
    }

    private static float[] take(float[] y, int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }

    private static Path tribuoOnnx(float[] x, float[] y) throws Exception {
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        RegressionFactory factory = new RegressionFactory();
        List<Example<Regressor>> examples = new ArrayList<>();
        String[] names = FEATURES.toArray(String[]::new);
        for (int i = 0; i < y.length; i++) {
            examples.add(new ArrayExample<>(new Regressor("y", y[i]), names,
                    new double[] {x[i * 3], x[i * 3 + 1], x[i * 3 + 2]}));
        }
        var model = new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1), 2, 1L).train(new MutableDataset<>(
                new ListDataSource<>(examples, factory, new SimpleDataSourceProvenance("synthetic", factory))));
        Path onnx = root.resolve("tribuo.onnx");
        model.saveONNXModel("io.foresail.test", 1, onnx);
        return onnx;
    }
}
