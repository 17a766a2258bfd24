package io.foresail.models;

import io.foresail.core.error.InvalidInputException;
import io.foresail.models.onnx.OnnxModel;
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
import org.tribuo.regression.sgd.linear.LinearSGDModel;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A real ONNX file, made in the test: Tribuo trains a linear model and exports it. Imported with a
 * declared schema, it predicts what Tribuo predicts, survives save and load bit for bit, and a
 * schema that does not match the graph is refused with a message that says how.
 */
class OnnxModelTest {
    static {
        // Tribuo reports SGD progress through java.util.logging at INFO; the test log does not need it.
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
    }

    @Test
    void importsATribuoExportAndChecksTheSchema(@TempDir Path tmp) throws Exception {
        ModelsTest.Data data = ModelsTest.synthetic(3000, 11, false);
        String[] names = ModelsTest.FEATURES.toArray(String[]::new);
        RegressionFactory factory = new RegressionFactory();
        List<Example<Regressor>> examples = new ArrayList<>();
        FeatureMatrix x = data.rows().x();
        for (int i = 0; i < x.rows(); i++) {
            double[] v = new double[x.cols()];
            for (int j = 0; j < v.length; j++) {
                float f = x.get(i, j);
                v[j] = Float.isNaN(f) ? 0 : f;
            }
            examples.add(new ArrayExample<>(new Regressor("y", data.rows().y()[i]), names, v));
        }
        MutableDataset<Regressor> dataset = new MutableDataset<>(new ListDataSource<>(examples, factory,
                new SimpleDataSourceProvenance("synthetic", factory)));
        LinearSGDModel tribuo = new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1), 5, 1L).train(dataset);
        Path onnx = tmp.resolve("linear.onnx");
        tribuo.saveONNXModel("io.foresail.test", 1, onnx);

        FeatureMatrix dense = new FeatureMatrix(denseOf(x), x.rows(), x.cols());
        ModelCard card = new ModelCard(ModelCard.FORMAT, OnnxModel.TYPE, Task.REGRESSION, "external",
                ModelsTest.FEATURES, 0, "label_fwd_1_raw", Map.of(), null, null, Map.of(), 0, 1, List.of(), Map.of());
        double[] imported;
        try (OnnxModel model = OnnxModel.importFile(onnx, card)) {
            imported = model.predict(dense);
            model.save(tmp.resolve("artifact"));
        }
        for (int i = 0; i < 50; i++) {
            double expected = tribuo.predict(examples.get(i)).getOutput().getValues()[0];
            assertThat(imported[i]).as("row %d", i).isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
        }
        try (Model loaded = ModelArtifact.load(tmp.resolve("artifact"))) {
            assertThat(ModelsTest.bits(loaded.predict(dense))).isEqualTo(ModelsTest.bits(imported));
        }

        ModelCard wrong = new ModelCard(ModelCard.FORMAT, OnnxModel.TYPE, Task.REGRESSION, "external",
                ModelsTest.FEATURES.subList(0, 7), 0, "label_fwd_1_raw", Map.of(), null, null, Map.of(), 0, 1, List.of(), Map.of());
        assertThatThrownBy(() -> OnnxModel.importFile(onnx, wrong)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("linear.onnx").hasMessageContaining("declares 7 features")
                .hasMessageContaining("[-1, 8]");
    }

    private static float[] denseOf(FeatureMatrix x) {
        float[] v = x.values().clone();
        for (int i = 0; i < v.length; i++) {
            if (Float.isNaN(v[i])) {
                v[i] = 0;
            }
        }
        return v;
    }
}
