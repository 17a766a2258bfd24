package io.foresail.models.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.ModelCard;
import io.foresail.models.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ONNX Runtime's native objects are released on every path: the session options once the session
 * exists (or failed to), the session when the graph's schema does not match the card, and the
 * session on close. ORT's Java objects record their own release in a private {@code closed} field,
 * which these tests read.
 */
class OnnxFailurePathsTest {
    private static final String[] NAMES = {"a", "b", "c"};
    @TempDir
    static Path tmp;
    private static byte[] graph;

    @BeforeAll
    static void export() throws Exception {
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        RegressionFactory factory = new RegressionFactory();
        SplittableRandom r = new SplittableRandom(5);
        List<Example<Regressor>> examples = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double[] v = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            examples.add(new ArrayExample<>(new Regressor("y", v[0] - v[1]), NAMES, v));
        }
        var model = new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1), 3, 1L).train(new MutableDataset<>(
                new ListDataSource<>(examples, factory, new SimpleDataSourceProvenance("synthetic", factory))));
        Path onnx = tmp.resolve("linear.onnx");
        model.saveONNXModel("io.foresail.test", 1, onnx);
        graph = Files.readAllBytes(onnx);
    }

    @Test
    void sessionOptionsAreClosedWhetherTheSessionOpensOrNot() throws Exception {
        OrtSession.SessionOptions ok = new OrtSession.SessionOptions();
        try (OrtSession session = OnnxModel.open(graph, "linear.onnx", ok)) {
            assertThat(session.getInputInfo()).hasSize(1);
        }
        assertThat(closed(ok, OrtSession.SessionOptions.class)).isTrue();

        OrtSession.SessionOptions bad = new OrtSession.SessionOptions();
        assertThatThrownBy(() -> OnnxModel.open(new byte[] {1, 2, 3}, "garbage.onnx", bad))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("garbage.onnx is not a loadable ONNX model");
        assertThat(closed(bad, OrtSession.SessionOptions.class)).isTrue();
    }

    @Test
    void aSessionWhoseSchemaDoesNotMatchTheCardIsClosed() throws Exception {
        OrtSession session = OrtEnvironment.getEnvironment().createSession(graph, new OrtSession.SessionOptions());
        assertThatThrownBy(() -> OnnxModel.adopt(card(List.of("a", "b")), graph, session, "linear.onnx"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("declares 2 features");
        assertThat(closed(session, OrtSession.class)).as("session released").isTrue();
    }

    @Test
    void aModelClosesItsSessionOnceAndRefusesPredictionsAfter() throws Exception {
        OrtSession session = OrtEnvironment.getEnvironment().createSession(graph, new OrtSession.SessionOptions());
        OnnxModel model = OnnxModel.adopt(card(List.of(NAMES)), graph, session, "linear.onnx");
        FeatureMatrix x = new FeatureMatrix(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(model.predict(x)).hasSize(2);
        assertThat(model.predict(new FeatureMatrix(new float[0], 0, 3))).isEmpty();
        model.close();
        assertThat(closed(session, OrtSession.class)).isTrue();
        model.close();
        assertThatThrownBy(() -> model.predict(x)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("onnx model is closed");
    }

    private static ModelCard card(List<String> features) {
        return new ModelCard(ModelCard.FORMAT, OnnxModel.TYPE, Task.REGRESSION, "external", features, 0, "y", Map.of(),
                null, null, Map.of(), 0, 1, List.of(), Map.of());
    }

    private static boolean closed(Object o, Class<?> type) throws ReflectiveOperationException {
        Field f = type.getDeclaredField("closed");
        f.setAccessible(true);
        return f.getBoolean(o);
    }
}
