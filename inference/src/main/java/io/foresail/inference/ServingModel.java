package io.foresail.inference;

import io.foresail.models.Model;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded model in service, reference counted so that it is closed only after the last prediction
 * on it has returned: the champion slot holds one reference, each prediction another for its
 * duration. Swapping drops the slot's reference; whoever drops the last one closes the model.
 */
final class ServingModel {
    private final Model model;
    private final ServedVersion version;
    private final int window;
    private final AtomicInteger refs = new AtomicInteger(1);

    ServingModel(Model model, ServedVersion version) {
        this.model = model;
        this.version = version;
        this.window = Math.max(1, model.card().sequenceLength());
    }

    Model model() {
        return model;
    }

    ServedVersion version() {
        return version;
    }

    /** Bars per input window (1 for a model of single rows). */
    int window() {
        return window;
    }

    /** Takes a reference; false once the model has been released for good (the caller looks again). */
    boolean acquire() {
        while (true) {
            int r = refs.get();
            if (r == 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the model. */
    void release() {
        if (refs.decrementAndGet() == 0) {
            model.close();
        }
    }

    /** References held now (the slot's included). */
    int references() {
        return refs.get();
    }
}
