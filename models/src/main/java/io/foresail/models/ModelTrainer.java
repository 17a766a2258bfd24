package io.foresail.models;

/**
 * Fits one kind of model. A trainer is stateless and thread-safe: each {@link #fit} is independent
 * and returns a new {@link Model} that the caller closes. Fits are deterministic for a given request
 * (seed and thread count included).
 */
public interface ModelTrainer extends Trainer {

    /** Fits on {@code request.train()}, early-stopping on {@code request.validation()} where the model supports it. */
    Model fit(FitRequest request);
}
