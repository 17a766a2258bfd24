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
import io.foresail.models.ModelType;
import io.foresail.models.NativeModel;

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
public final class OnnxModel extends NativeModel {
    public static final String TYPE = "onnx";
    private static final String FILE = "model.onnx";

    private final byte[] bytes;
    private final OrtSession session;
    private final String inputName;

    private OnnxModel(ModelCard card, byte[] bytes, OrtSession session, String inputName) {
        super(card);
        this.bytes = bytes;
        this.session = session;
        this.inputName = inputName;
    }

    private static OnnxModel create(ModelCard card, byte[] bytes, String source) {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(card.threads());
            options.setInterOpNumThreads(1);
        } catch (OrtException e) {
            options.close();
            throw new InvalidInputException(source + ": cannot configure an ONNX session: " + e.getMessage(), e);
        }
        return adopt(card, bytes, open(bytes, source, options), source);
    }

    /**
     * A session on the graph. Takes the options and closes them whatever happens: they are native
     * too, and the session keeps its own copy.
     */
    static OrtSession open(byte[] bytes, String source, OrtSession.SessionOptions options) {
        try (options) {
            return OrtEnvironment.getEnvironment().createSession(bytes, options);
        } catch (OrtException e) {
            throw new InvalidInputException(source + " is not a loadable ONNX model: " + e.getMessage(), e);
        }
    }

    /**
     * The model on {@code session}, once its schema matches the card. Takes ownership of the
     * session: when the check fails the session is closed before the error is thrown.
     */
    static OnnxModel adopt(ModelCard card, byte[] bytes, OrtSession session, String source) {
        try {
            return new OnnxModel(card, bytes, session, checkSchema(session, card, source));
        } catch (OrtException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof OrtException o) {
                throw new InvalidInputException(source + " is not a loadable ONNX model: " + o.getMessage(), o);
            }
            throw (RuntimeException) e;
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
            return create(card, Files.readAllBytes(onnx), onnx.toString());
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
    protected double[] predictRows(FeatureMatrix x) throws OrtException {
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
        }
    }

    /** An imported graph makes no promise about NaN inputs. */
    @Override
    public boolean acceptsMissingValues() {
        return false;
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
    protected void release() throws OrtException {
        session.close();
    }

    /** The {@code onnx} model type: graphs trained elsewhere, imported with {@link #importFile}; nothing trains it here. */
    public static final class Type implements ModelType {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Model load(Path dir, ModelCard card) {
            try {
                return create(card, Files.readAllBytes(dir.resolve(FILE)), dir.resolve(FILE).toString());
            } catch (IOException e) {
                throw new ForesailException("cannot load ONNX model from " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
