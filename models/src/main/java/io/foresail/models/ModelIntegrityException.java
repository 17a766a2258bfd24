package io.foresail.models;

import io.foresail.core.error.ForesailException;

/** A model artifact that fails verification: a missing, altered or unexpected file. Never load it. */
public final class ModelIntegrityException extends ForesailException {
    public ModelIntegrityException(String message) {
        super(message);
    }
}
