package io.foresail.models.sequence;

import io.foresail.core.error.ForesailException;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one thread of this JVM that runs PyTorch's fits and big batch predictions (a bar-sized
 * prediction runs on its caller: {@link SequenceNetModel#forward}). PyTorch keeps its
 * random generator and thread count process-wide and some CPU state per thread, so fits from
 * several threads would interleave random draws and could differ in the last bits; on one thread,
 * a fit with a given seed and thread count gives the same bits wherever and whenever it runs.
 */
final class TorchThread {
    private static volatile Thread torch;
    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "foresail-torch");
        t.setDaemon(true);
        torch = t;
        return t;
    });

    private TorchThread() {
    }

    static <T> T call(Callable<T> work) {
        if (Thread.currentThread() == torch) {
            // Already on the PyTorch thread (a fit scoring its validation set): run in place.
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ForesailException("PyTorch work failed: " + e.getMessage(), e);
            }
        }
        Future<T> f = THREAD.submit(work);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new ForesailException("PyTorch work failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new ForesailException("interrupted while waiting for PyTorch", e);
        }
    }
}
