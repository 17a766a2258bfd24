package io.foresail.models.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.Model;
import io.foresail.models.ModelCard;
import io.foresail.models.ModelFormat;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A model trained elsewhere (Python, Tribuo, ...) and exported to ONNX, run with ONNX Runtime on
 * the CPU. Its card declares the input schema (feature names in order); on load the graph must have
 * exactly one float input of shape {@code [batch, features]} and one output with one value per row,
 * or loading fails with a message that says what differs. Owns the session: close it.
 */
public final class OnnxModel implements Model {
    public static final String TYPE = "onnx";
    private static final String FILE = "model.onnx";

    private final ModelCard card;
    private final byte[] bytes;
    private final OrtSession session;
    private final String inputName;

    private OnnxModel(ModelCard card, byte[] bytes, String source) {
        this.card = card;
        this.bytes = bytes;
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(card.threads());
            options.setInterOpNumThreads(1);
            this.session = OrtEnvironment.getEnvironment().createSession(bytes, options);
            this.inputName = checkSchema(session, card, source);
        } catch (OrtException e) {
            throw new InvalidInputException(source + " is not a loadable ONNX model: " + e.getMessage(), e);
        }
    }

    /**
     * Wraps an ONNX file as a Foresail model with the declared inputs of {@code card} (type {@value #TYPE}).
     *
     * @throws InvalidInputException when the graph's inputs or outputs do not match the card
     */
    public static OnnxModel importFile(Path onnx, ModelCard card) {
        if (!TYPE.equals(card.type())) {
            throw new IllegalArgumentException("card type must be " + TYPE + ", got " + card.type());
        }
        try {
            return new OnnxModel(card, Files.readAllBytes(onnx), onnx.toString());
        } catch (IOException e) {
            throw new InvalidInputException("cannot read ONNX file " + onnx + ": " + e.getMessage(), e);
        }
    }

    private static String checkSchema(OrtSession s, ModelCard card, String source) throws OrtException {
        Map<String, NodeInfo> inputs = s.getInputInfo();
        if (inputs.size() != 1) {
            throw new InvalidInputException(source + ": expected one input tensor, the graph has " + inputs.keySet());
        }
        Map.Entry<String, NodeInfo> in = inputs.entrySet().iterator().next();
        if (!(in.getValue().getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new InvalidInputException(source + ": input '" + in.getKey() + "' must be a float tensor, is "
                    + in.getValue().getInfo());
        }
        long[] shape = t.getShape();
        int declared = card.features().size();
        if (shape.length != 2 || shape[1] != declared) {
            throw new InvalidInputException(source + ": input '" + in.getKey() + "' has shape " + Arrays.toString(shape)
                    + " but the model declares " + declared + " features; expected [batch, " + declared + "]");
        }
        if (s.getOutputInfo().isEmpty()) {
            throw new InvalidInputException(source + ": the graph has no output");
        }
        return in.getKey();
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public double[] predict(FeatureMatrix x) {
        card.checkInputs(x);
        if (x.rows() == 0) {
            return new double[0];
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.values()), new long[] {x.rows(), x.cols()});
             OrtSession.Result result = session.run(Map.of(inputName, input))) {
            Object value = result.get(0).getValue();
            double[] out = new double[x.rows()];
            if (value instanceof float[][] m) {
                for (int i = 0; i < out.length; i++) {
                    out[i] = m[i][0];
                }
            } else if (value instanceof float[] v) {
                for (int i = 0; i < out.length; i++) {
                    out[i] = v[i];
                }
            } else {
                throw new ForesailException("ONNX output of type " + value.getClass().getSimpleName()
                        + " is not one float per row");
            }
            return out;
        } catch (OrtException e) {
            throw new ForesailException("ONNX prediction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> writeFiles(Path dir) {
        try {
            Files.write(dir.resolve(FILE), bytes);
            return List.of(FILE);
        } catch (IOException e) {
            throw new ForesailException("cannot save ONNX model to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ForesailException("cannot close ONNX session: " + e.getMessage(), e);
        }
    }

    /** Reads {@code model.onnx} models. */
    public static final class Format implements ModelFormat {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Model load(Path dir, ModelCard card) {
            try {
                return new OnnxModel(card, Files.readAllBytes(dir.resolve(FILE)), dir.resolve(FILE).toString());
            } catch (IOException e) {
                throw new ForesailException("cannot load ONNX model from " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
