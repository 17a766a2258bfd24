package io.foresail.training.search;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs independent trials (model fits) and returns their results in order. The local runners use
 * the calling thread or a thread pool; the Spark runner (pipelines) makes each trial a Spark task.
 * A search hands over one generation at a time, so a generation's trials run in parallel wherever
 * the runner runs them. Trials and their results must be serializable; large inputs they all read
 * go through {@link #share} (a Spark broadcast), not through the trial closure.
 */
public interface TrialRunner {

    /** A trial: a serializable function, so it can be shipped to a Spark executor. */
    interface Trial<T, R> extends Function<T, R>, Serializable {
    }

    /** A value every trial can read: a reference locally, a broadcast on Spark. Release it when done. */
    interface Shared<V> extends Serializable {
        V get();

        default void release() {
        }
    }

    <T extends Serializable, R extends Serializable> List<R> run(List<T> trials, Trial<T, R> trial);

    <V extends Serializable> Shared<V> share(V value);

    /** Runs the trials one after another on the calling thread. */
    static TrialRunner sequential() {
        return local(1);
    }

    /** Runs up to {@code parallelism} trials at once on a fixed pool of daemon threads. */
    static TrialRunner local(int parallelism) {
        return new TrialRunner() {
            @Override
            public <T extends Serializable, R extends Serializable> List<R> run(List<T> trials, Trial<T, R> trial) {
                if (parallelism <= 1 || trials.size() <= 1) {
                    return trials.stream().map(trial).toList();
                }
                ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, trials.size()), r -> {
                    Thread t = new Thread(r, "foresail-trial");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    List<Future<R>> futures = trials.stream().map(t -> pool.submit(() -> trial.apply(t))).toList();
                    List<R> out = new ArrayList<>(trials.size());
                    for (Future<R> f : futures) {
                        out.add(f.get());
                    }
                    return out;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while running trials", e);
                } finally {
                    pool.shutdownNow();
                }
            }

            @Override
            public <V extends Serializable> Shared<V> share(V value) {
                return new Local<>(value);
            }
        };
    }

    /** A shared value that stays in this JVM. */
    record Local<V>(V get) implements Shared<V> {
    }
}
