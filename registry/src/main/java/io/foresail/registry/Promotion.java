package io.foresail.registry;

import io.foresail.core.error.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Moving an alias (normally {@code champion}) to a version, gated and recorded. The gate compares
 * the versions' stored out-of-sample metric (version tag {@value #METRIC_TAG}, written when the
 * version is registered): a candidate that is worse than the current holder of the alias, or
 * that has no stored metric, is refused unless forced. The promoted version gets tags saying who
 * promoted it, when (ISO-8601 UTC), why, and which version held the alias before.
 *
 * <p>Concurrent promotions are serialised by a registry lock per alias, so each one is gated against
 * the version it really replaces; and the alias is read again just before it is set, so a move made
 * meanwhile without the lock (in the MLflow UI) makes the promotion refuse rather than overwrite it.
 */
public final class Promotion {
    private static final Logger LOG = LoggerFactory.getLogger(Promotion.class);
    /** Version tag: the pooled out-of-sample rank IC the version was registered with. */
    public static final String METRIC_TAG = "foresail.oos_rank_ic";
    /** Version tags a logged backtest writes (`foresail backtest --log`), which the policy can require. */
    public static final String BACKTEST_RUN_TAG = "foresail.backtest.run_id";
    public static final String BACKTEST_LABEL_TAG = "foresail.backtest.label";
    public static final String BACKTEST_SHARPE_TAG = "foresail.backtest.sharpe";

    /**
     * What a version must have to be promoted, besides beating the current holder's out-of-sample
     * metric ({@code config/promotion.yaml}): a logged out-of-sample backtest, and a minimum Sharpe
     * ratio in it. Every field optional; the default requires no backtest.
     */
    public record Policy(@com.fasterxml.jackson.annotation.JsonProperty("require_backtest") Boolean requireBacktest,
                         @com.fasterxml.jackson.annotation.JsonProperty("min_backtest_sharpe") Double minBacktestSharpe) {
        public static final String DEFAULT_RESOURCE = "foresail/config/promotion.yaml";

        public Policy {
            requireBacktest = requireBacktest != null && requireBacktest;
            if (minBacktestSharpe != null && !Double.isFinite(minBacktestSharpe)) {
                throw new InvalidInputException("min_backtest_sharpe must be a number, got " + minBacktestSharpe);
            }
            if (minBacktestSharpe != null && !requireBacktest) {
                throw new InvalidInputException("min_backtest_sharpe needs require_backtest: true");
            }
        }

        public static Policy none() {
            return new Policy(false, null);
        }

        public static Policy loadOrDefault(java.nio.file.Path file) {
            return file == null ? io.foresail.core.config.Yaml.readResource(DEFAULT_RESOURCE, Policy.class)
                    : io.foresail.core.config.Yaml.read(file, Policy.class);
        }

        /** Why {@code v} does not meet the policy, or empty when it does. */
        Optional<String> refusal(ModelVersion v) {
            if (!requireBacktest) {
                return Optional.empty();
            }
            String id = v.name() + "/" + v.version();
            if (!v.tags().containsKey(BACKTEST_RUN_TAG)) {
                return Optional.of(id + " has no logged backtest (the policy requires one: foresail backtest " + id
                        + " --features <set> --bars <store> --from <after its training window> --log)");
            }
            if (!"out-of-sample".equals(v.tags().get(BACKTEST_LABEL_TAG))) {
                return Optional.of(id + "'s logged backtest is " + v.tags().get(BACKTEST_LABEL_TAG)
                        + "; the policy requires an out-of-sample one");
            }
            if (minBacktestSharpe != null) {
                double sharpe;
                try {
                    sharpe = Double.parseDouble(v.tags().getOrDefault(BACKTEST_SHARPE_TAG, "NaN"));
                } catch (NumberFormatException e) {
                    sharpe = Double.NaN;
                }
                if (!(sharpe >= minBacktestSharpe)) {
                    return Optional.of(String.format(java.util.Locale.ROOT,
                            "%s's backtest Sharpe %s is below the policy's minimum %.2f", id,
                            v.tags().getOrDefault(BACKTEST_SHARPE_TAG, "n/a"), minBacktestSharpe));
                }
            }
            return Optional.empty();
        }
    }

    /** A promotion takes well under a second; a promoter that dies frees its alias after this. */
    private static final java.time.Duration LOCK_LEASE = java.time.Duration.ofMinutes(2);
    private static final java.time.Duration LOCK_WAIT = java.time.Duration.ofSeconds(30);

    private Promotion() {
    }

    /** What a promotion did. */
    public record Result(ModelVersion promoted, Optional<ModelVersion> previous, boolean forced) {
    }

    /**
     * Points {@code alias} of {@code name} at {@code version}.
     *
     * @throws InvalidInputException when the reason is blank, the version does not exist, or the
     *                               gate refuses (the message gives both metrics and says how to force)
     */
    public static Result promote(ModelRegistry registry, String name, String version, String alias, String reason,
                                 String who, boolean force, Clock clock) {
        return promote(registry, name, version, alias, reason, who, force, clock, Policy.none());
    }

    /** As {@link #promote(ModelRegistry, String, String, String, String, String, boolean, Clock)}, under {@code policy}. */
    public static Result promote(ModelRegistry registry, String name, String version, String alias, String reason,
                                 String who, boolean force, Clock clock, Policy policy) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("--reason is required: say why " + name + "/" + version + " becomes " + alias);
        }
        ModelVersion candidate = registry.resolve(ModelRef.version(name, version));
        try (RegistryLock lock = registry.lock("promote:" + name + "@" + alias, LOCK_LEASE, LOCK_WAIT)) {
            return promoteHoldingLock(registry, candidate, alias, reason, who, force, clock, policy);
        }
    }

    private static Result promoteHoldingLock(ModelRegistry registry, ModelVersion candidate, String alias, String reason,
                                             String who, boolean force, Clock clock, Policy policy) {
        String name = candidate.name();
        String version = candidate.version();
        Optional<ModelVersion> current = registry.alias(name, alias);
        if (current.isPresent() && current.get().version().equals(version)) {
            throw new InvalidInputException(name + "/" + version + " already holds @" + alias);
        }
        boolean gated = false;
        Optional<String> policyRefusal = policy.refusal(candidate);
        if (policyRefusal.isPresent()) {
            if (!force) {
                throw new InvalidInputException("promotion refused: " + policyRefusal.get() + "; pass --force to promote anyway");
            }
            gated = true;
            LOG.warn("forced promotion of {}/{} to @{}: {}", name, version, alias, policyRefusal.get());
        }
        if (current.isPresent()) {
            Optional<Double> mine = metric(candidate);
            Optional<Double> theirs = metric(current.get());
            String why = null;
            if (mine.isEmpty()) {
                why = name + "/" + version + " has no stored out-of-sample metric (" + METRIC_TAG + ")";
            } else if (theirs.isPresent() && mine.get() < theirs.get()) {
                why = String.format(java.util.Locale.ROOT, "%s/%s has out-of-sample rank IC %.4f, worse than @%s %s/%s with %.4f",
                        name, version, mine.get(), alias, name, current.get().version(), theirs.get());
            }
            if (why != null) {
                if (!force) {
                    throw new InvalidInputException("promotion refused: " + why + "; pass --force to promote anyway");
                }
                gated = true;
                LOG.warn("forced promotion of {}/{} to @{}: {}", name, version, alias, why);
            }
        }
        Optional<String> now = registry.alias(name, alias).map(ModelVersion::version);
        if (!now.equals(current.map(ModelVersion::version))) {
            throw new InvalidInputException("promotion refused: @" + alias + " of " + name + " moved from "
                    + current.map(ModelVersion::version).orElse("none") + " to " + now.orElse("none")
                    + " while " + name + "/" + version + " was being checked; look at the new holder and try again");
        }
        registry.setAlias(name, alias, version);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("foresail.promoted_to", alias);
        tags.put("foresail.promoted_by", who);
        tags.put("foresail.promoted_at", clock.instant().toString());
        tags.put("foresail.promotion_reason", reason.strip());
        tags.put("foresail.promoted_from", current.map(ModelVersion::version).orElse("none"));
        tags.put("foresail.promotion_forced", Boolean.toString(gated));
        registry.setTags(name, version, tags);
        LOG.info("promoted {}/{} to @{} (was {}) by {}: {}", name, version, alias,
                current.map(ModelVersion::version).orElse("none"), who, reason.strip());
        return new Result(registry.resolve(ModelRef.version(name, version)), current, gated);
    }

    private static Optional<Double> metric(ModelVersion v) {
        String s = v.tags().get(METRIC_TAG);
        if (s == null) {
            return Optional.empty();
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
