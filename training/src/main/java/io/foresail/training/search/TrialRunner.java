package io.foresail.training.search;

import java.util.List;
import java.util.function.Function;

/**
 * Runs independent trials (model fits) and returns their results in order. The local runner uses a
 * thread pool; the Spark runner (pipelines) makes each trial a Spark task. A search hands it one
 * generation at a time, so a generation's trials run in parallel wherever the runner runs them.
 */
public interface TrialRunner {

    <T, R> List<R> run(List<T> trials, Function<T, R> trial);

    /** Runs the trials one after another on the calling thread. */
    static TrialRunner sequential() {
        return new TrialRunner() {
            @Override
            public <T, R> List<R> run(List<T> trials, Function<T, R> trial) {
                return trials.stream().map(trial).toList();
            }
        };
    }

    /** Runs up to {@code parallelism} trials at once on a fixed pool (threads are daemons). */
    static TrialRunner local(int parallelism) {
        if (parallelism <= 1) {
            return sequential();
        }
        return new TrialRunner() {
            @Override
            public <T, R> List<R> run(List<T> trials, Function<T, R> trial) {
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                        Math.min(parallelism, Math.max(1, trials.size())), r -> {
                            Thread t = new Thread(r, "foresail-trial");
                            t.setDaemon(true);
                            return t;
                        });
                try {
                    List<java.util.concurrent.Future<R>> futures = trials.stream()
                            .map(t -> pool.submit(() -> trial.apply(t))).toList();
                    List<R> out = new java.util.ArrayList<>(trials.size());
                    for (java.util.concurrent.Future<R> f : futures) {
                        out.add(f.get());
                    }
                    return out;
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while running trials", e);
                } finally {
                    pool.shutdownNow();
                }
            }
        };
    }
}
