package io.foresail.inference;

import io.foresail.registry.ModelRef;
import io.foresail.registry.ModelRegistry;
import io.foresail.registry.ModelVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the promoted model and follows its alias. Each check resolves {@code NAME@alias} through the
 * {@link ModelRegistry}; a version not yet served is fetched and verified through the cache, loaded,
 * checked against the {@link RunningPlan} (same plan hash, hence the same columns computed the same
 * way; a window the predictor can give), warmed up with a real prediction, and only then swapped in.
 *
 * <p>The swap is all-or-nothing: a version that fails any step is refused with its reason (logged,
 * counted by {@link InferenceMetrics.Refusal}) and the current model keeps serving. A refused version
 * is not tried again before its back-off has passed (doubling per refusal, capped). A registry that
 * cannot be reached, or an alias that is gone, keeps the current model serving and the checks
 * coming, at a doubling interval until the registry answers again. The replaced model is closed once
 * the last prediction on it has returned ({@link ServingModel}).
 *
 * <p>{@link #start} polls on a daemon thread every {@code pollInterval}; {@link #reload} checks now.
 * Closing stops the polling and releases the model in service.
 */
public final class ChampionWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChampionWatcher.class);

    /**
     * What to follow and how.
     *
     * @param pollInterval   between checks while the registry answers (default 30 s)
     * @param refusalBackoff before a refused version is tried again, doubled per refusal (default 1 min)
     * @param maxBackoff     the cap of every back-off (default 30 min)
     * @param windowCapacity the longest input window the predictor keeps (bars per symbol)
     */
    public record Settings(String modelName, String alias, Duration pollInterval, Duration refusalBackoff,
                           Duration maxBackoff, int windowCapacity) {
        public Settings {
            Objects.requireNonNull(modelName, "modelName");
            alias = alias == null ? "champion" : alias;
            pollInterval = pollInterval == null ? Duration.ofSeconds(30) : pollInterval;
            refusalBackoff = refusalBackoff == null ? Duration.ofMinutes(1) : refusalBackoff;
            maxBackoff = maxBackoff == null ? Duration.ofMinutes(30) : maxBackoff;
            if (windowCapacity < 1) {
                throw new IllegalArgumentException("windowCapacity must be at least 1, got " + windowCapacity);
            }
        }

        /** {@code name@champion}, polled every 30 s, windows of up to 64 bars. */
        public static Settings of(String modelName) {
            return new Settings(modelName, null, null, null, null, 64);
        }

        public Settings withAlias(String a) {
            return new Settings(modelName, a, pollInterval, refusalBackoff, maxBackoff, windowCapacity);
        }

        public Settings withPolling(Duration poll, Duration refusal, Duration max) {
            return new Settings(modelName, alias, poll, refusal, max, windowCapacity);
        }
    }

    /** What one check did. */
    public enum Outcome {
        /** A new version is in service. */
        SWAPPED,
        /** The alias still points at the version in service. */
        UNCHANGED,
        /** The alias points at a version that failed a step; the previous model keeps serving. */
        REFUSED,
        /** The alias points at a version refused recently; not tried again yet. */
        BACKING_OFF,
        /** The registry did not answer, or the alias is not set. */
        UNAVAILABLE
    }

    /** The result of a check: the outcome, the version the alias named (if known), and why. */
    public record Check(Outcome outcome, String version, String reason) {
    }

    private record Backoff(int refusals, Instant retryAt, String reason) {
    }

    private final ModelRegistry registry;
    private final RunningPlan plan;
    private final Settings settings;
    private final InferenceMetrics metrics;
    private final Clock clock;
    private final AtomicReference<ServingModel> current = new AtomicReference<>();
    private final Map<String, Backoff> refused = new HashMap<>();
    private ScheduledExecutorService scheduler;
    private Duration unavailableDelay;
    private Outcome lastOutcome;
    private volatile boolean closed;

    public ChampionWatcher(ModelRegistry registry, RunningPlan plan, Settings settings, InferenceMetrics metrics, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Settings settings() {
        return settings;
    }

    /** The version in service, if any. */
    public Optional<ServedVersion> serving() {
        ServingModel m = current.get();
        return m == null ? Optional.empty() : Optional.of(m.version());
    }

    /** Checks now and polls from then on, every {@code pollInterval}. */
    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "champion-watcher-" + settings.modelName());
            t.setDaemon(true);
            return t;
        });
        scheduler.execute(this::poll);
    }

    private void poll() {
        if (closed) {
            return;
        }
        Duration next = settings.pollInterval();
        try {
            if (reload().outcome() == Outcome.UNAVAILABLE) {
                next = unavailableDelay;
            }
        } catch (RuntimeException e) {
            // A bug must not stop the polling: the model in service stays, the next check comes.
            LOG.error("{}@{}: check failed unexpectedly", settings.modelName(), settings.alias(), e);
        }
        if (!closed) {
            scheduler.schedule(this::poll, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Checks the alias now and swaps in a new version if it passes every step. */
    public synchronized Check reload() {
        if (closed) {
            throw new IllegalStateException("the champion watcher is closed");
        }
        String who = settings.modelName() + "@" + settings.alias();
        ModelVersion v;
        try {
            v = registry.resolve(ModelRef.alias(settings.modelName(), settings.alias()));
        } catch (RuntimeException e) {
            metrics.registryFailed();
            unavailableDelay = unavailableDelay == null ? settings.pollInterval() : min(unavailableDelay.multipliedBy(2),
                    settings.maxBackoff());
            String serving = serving().map(ServedVersion::toString).orElse("nothing");
            if (lastOutcome != Outcome.UNAVAILABLE) {
                LOG.warn("{}: cannot resolve ({}); keeps serving {}, next check in {} s", who, e.getMessage(), serving,
                        unavailableDelay.toSeconds());
            }
            return outcome(new Check(Outcome.UNAVAILABLE, null, e.getMessage()));
        }
        if (lastOutcome == Outcome.UNAVAILABLE) {
            LOG.info("{}: the registry answers again ({} is version {})", who, settings.alias(), v.version());
        }
        unavailableDelay = null;
        ServingModel now = current.get();
        if (now != null && now.version().version().equals(v.version())) {
            return outcome(new Check(Outcome.UNCHANGED, v.version(), null));
        }
        Backoff b = refused.get(v.version());
        if (b != null && clock.instant().isBefore(b.retryAt())) {
            return outcome(new Check(Outcome.BACKING_OFF, v.version(), b.reason()));
        }
        return outcome(tryServe(v, who));
    }

    private Check tryServe(ModelVersion v, String who) {
        VersionLoader.Loaded loaded;
        try {
            loaded = VersionLoader.load(registry, v, plan, settings.windowCapacity());
        } catch (VersionLoader.Refused e) {
            return refuse(v, who, e.step(), e.getMessage());
        }
        ServingModel next = new ServingModel(loaded.model(), ServedVersion.of(v, plan.hash()));
        ServingModel old = current.getAndSet(next);
        refused.remove(v.version());
        metrics.swapped(next.version());
        LOG.info("{}: now serving version {} (run {}){}; {}", who, v.version(), v.runId(),
                old == null ? "" : ", replacing version " + old.version().version(), loaded.stepSeconds());
        if (old != null) {
            old.release();
        }
        return new Check(Outcome.SWAPPED, v.version(), null);
    }

    private Check refuse(ModelVersion v, String who, InferenceMetrics.Refusal step, String reason) {
        metrics.refused(step);
        Backoff previous = refused.get(v.version());
        int n = previous == null ? 1 : previous.refusals() + 1;
        Duration wait = min(settings.refusalBackoff().multipliedBy(1L << Math.min(20, n - 1)), settings.maxBackoff());
        refused.put(v.version(), new Backoff(n, clock.instant().plus(wait), reason));
        LOG.warn("{}: refused version {} at {} ({}); keeps serving {}; retried in {} s", who, v.version(),
                step.name().toLowerCase(java.util.Locale.ROOT), reason, serving().map(ServedVersion::toString).orElse("nothing"),
                wait.toSeconds());
        return new Check(Outcome.REFUSED, v.version(), step.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason);
    }

    private Check outcome(Check c) {
        lastOutcome = c.outcome();
        return c;
    }

    /** The model in service with a reference taken (release it), or null when none is. */
    ServingModel acquire() {
        while (true) {
            ServingModel m = current.get();
            if (m == null || m.acquire()) {
                return m;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            closed = true;
            s = scheduler;
        }
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            ServingModel m = current.getAndSet(null);
            if (m != null) {
                m.release();
            }
        }
    }
}
