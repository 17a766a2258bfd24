package io.foresail.models;

import java.nio.file.Path;

/**
 * Loads one type of model from a verified artifact directory. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.foresail.models.ModelFormat}), so a
 * module that adds a model type (the ensemble, for one) registers its own.
 */
public interface ModelFormat {

    /** The {@link ModelCard#type()} this format reads. */
    String type();

    /** Loads the model; the directory's checksums have already been verified. */
    Model load(Path dir, ModelCard card);
}
