package io.foresail.models;

import io.foresail.core.error.ForesailException;

/**
 * The shape every model backed by a native library shares (XGBoost, LightGBM, ONNX Runtime,
 * PyTorch): {@link #predict} checks the inputs against the card, refuses a closed model, answers
 * an empty batch without touching native code, and wraps a native failure with the model's type;
 * {@link #close} releases the native resources exactly once. A backend implements only
 * {@link #predictRows} and {@link #release}, so it cannot forget a step.
 *
 * <p>Predictions and close are serialised on the model: a native booster or session is not
 * assumed to be safe for concurrent calls, and close never runs under a prediction. Callers that
 * share one model across threads (the inference service) hold their own reference count so that
 * close comes after the last prediction; a prediction after close fails with
 * {@link IllegalStateException}, never with a crash in native code.
 */
public abstract class NativeModel implements Model {
    /**
     * Batches up to this many rows are predicted on one thread. A bar's batch (one row per symbol)
     * is far too small to repay a thread team, and on a small machine the idle team's spinning
     * threads slow the next member (PyTorch) more than they ever saved: the default ensemble's bar
     * took about twice as long with GBM teams of two (docs/benchmarks.md, "Inference"). The scores do
     * not depend on the thread count: each row's trees are summed by one thread either way.
     */
    public static final int SINGLE_THREAD_ROWS = 4096;

    private final ModelCard card;
    private boolean closed;

    protected NativeModel(ModelCard card) {
        this.card = java.util.Objects.requireNonNull(card, "card");
    }

    @Override
    public final ModelCard card() {
        return card;
    }

    @Override
    public final synchronized double[] predict(FeatureMatrix x) {
        card.checkInputs(x);
        checkOpen();
        if (x.rows() == 0) {
            return new double[0];
        }
        return guarded("prediction", () -> predictRows(x));
    }

    /**
     * The scores of a non-empty batch whose columns already match the card. Runs with the model's
     * lock held, never after {@link #release}.
     */
    protected abstract double[] predictRows(FeatureMatrix x) throws Exception;

    /** Frees the native resources; called once, by {@link #close}. */
    protected abstract void release() throws Exception;

    /** The native threads for a batch of {@code rows}: one for a bar-sized batch, the card's otherwise. */
    protected final int threadsFor(int rows) {
        return rows <= SINGLE_THREAD_ROWS ? 1 : card.threads();
    }

    /** Fails when the model is closed; for a subclass's own entry points (call with the lock held). */
    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the " + card.type() + " model is closed");
        }
    }

    /** Whether {@link #close} has run. */
    public final synchronized boolean closed() {
        return closed;
    }

    /**
     * Runs a native call, passing Foresail's own exceptions through and wrapping anything else as a
     * {@link ForesailException} naming the model type and the step.
     */
    protected final <T> T guarded(String step, NativeCall<T> call) {
        try {
            return call.run();
        } catch (ForesailException | IllegalStateException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new ForesailException(card.type() + " " + step + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public final synchronized void close() {
        if (!closed) {
            closed = true;
            guarded("close", () -> {
                release();
                return null;
            });
        }
    }

    /** A call into native code. */
    @FunctionalInterface
    protected interface NativeCall<T> {
        T run() throws Exception;
    }
}
