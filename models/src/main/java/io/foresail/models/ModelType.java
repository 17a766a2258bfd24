package io.foresail.models;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One kind of model: its name (as in {@code model.json} and the training configuration), how to
 * load a saved one, and how to train a new one where Foresail can. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.foresail.models.ModelType}); see
 * {@link ModelTypes}. Adding a model type is one class and one line in that file, in the module
 * that owns the model.
 */
public interface ModelType {

    /** The {@link ModelCard#type()} this type reads and its trainer writes. */
    String type();

    /** Loads the model; the directory's checksums have already been verified. The caller closes it. */
    Model load(Path dir, ModelCard card);

    /**
     * A new trainer with default settings, or empty for a type that is only loaded (an imported
     * ONNX graph) or built by its own step (the stacked ensemble).
     */
    default Optional<Trainer> trainer() {
        return Optional.empty();
    }
}
