package io.foresail.pipelines.cli;

import io.foresail.models.stacked.StackedEnsemble;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelCard;
import io.foresail.registry.ModelCache;
import io.foresail.registry.ModelRef;
import io.foresail.registry.ModelVersion;
import io.foresail.registry.Promotion;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code foresail models list|describe|promote}: the registered models on the MLflow server named
 * by {@code MLFLOW_TRACKING_URI} (default http://127.0.0.1:5000), with credentials from the
 * environment.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List, describe and promote registered models (MLflow; MLFLOW_TRACKING_URI).",
        subcommands = {ModelsCommand.ListVersions.class, ModelsCommand.Describe.class, ModelsCommand.Promote.class,
                ModelsCommand.ServeCheckCommand.class})
final class ModelsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static class Registry {
        @Option(names = "--cache", defaultValue = "work/model-cache", description = "Local cache of verified versions (default ${DEFAULT-VALUE}).")
        Path cache;
        @picocli.CommandLine.Mixin
        TrackingServer tracking;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        MlflowModelRegistry registry() {
            return new MlflowModelRegistry(MlflowClient.of(tracking.endpoint()), new ModelCache(cache));
        }
    }

    /** A stored metric tag for display: four decimals, or as stored when it is not a number. */
    static String metric(String tag) {
        if (tag == null) {
            return "-";
        }
        try {
            return String.format(Locale.ROOT, "%.4f", Double.parseDouble(tag));
        } catch (NumberFormatException e) {
            return tag;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every version of a model, newest first, with aliases.")
    static final class ListVersions extends Registry implements Callable<Integer> {
        @Parameters(index = "0", description = "Registered model name.")
        String name;
        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            java.util.List<ModelVersion> versions = registry().versions(name);
            o.printf(Locale.ROOT, "%-8s %-22s %-24s %-12s %s%n", "version", "created (UTC)", "aliases", "oos_rank_ic", "run");
            for (ModelVersion v : versions) {
                o.printf(Locale.ROOT, "%-8s %-22s %-24s %-12s %s%n", v.version(), v.created().toString().substring(0, 19),
                        v.aliases().isEmpty() ? "-" : "@" + String.join(" @", v.aliases()),
                        metric(v.tags().get(Promotion.METRIC_TAG)), v.runId());
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "One version (NAME@alias or NAME/version): tags, provenance and its model card (downloads and verifies it).")
    static final class Describe extends Registry implements Callable<Integer> {
        @Parameters(index = "0", description = "NAME@alias or NAME/version.")
        String ref;
        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            MlflowModelRegistry registry = registry();
            ModelVersion v = registry.resolve(ModelRef.parse(ref));
            o.println(v.name() + "/" + v.version() + (v.aliases().isEmpty() ? "" : "  @" + String.join(" @", v.aliases())));
            o.println("  created:  " + v.created());
            o.println("  run:      " + v.runId());
            o.println("  source:   " + v.source());
            o.println("  ui:       " + registry.client().endpoint().versionPage(v.name(), v.version()));
            o.println("  tags:");
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(v.tags()).entrySet()) {
                o.println("    " + e.getKey() + " = " + e.getValue());
            }
            Path dir = registry.fetch(v);
            ModelCard card = ModelArtifact.readCard(dir);
            o.println("  model:    " + card.type() + " predicting " + card.target() + " from " + card.features().size()
                    + " features of feature set " + card.featureSetId());
            o.println("  trained:  " + card.trainFrom() + " .. " + card.trainTo() + ", seed " + card.seed()
                    + ", " + card.threads() + " threads");
            if (card.attributes().containsKey(StackedEnsemble.MEMBERS_ATTRIBUTE)) {
                o.println("  members:  " + card.attributes().get(StackedEnsemble.MEMBERS_ATTRIBUTE) + " (stacked; see "
                        + StackedEnsemble.MANIFEST + ")");
            }
            card.metrics().forEach((k, val) -> o.printf(Locale.ROOT, "  metric:   %s = %.4f%n", k, val));
            o.println("  verified: " + dir);
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Point an alias (default champion) at a version; refused if its stored out-of-sample metric is worse "
                    + "than the current holder's, or if it does not meet the promotion policy (config/promotion.yaml: "
                    + "e.g. a logged out-of-sample backtest), unless --force.")
    static final class Promote extends Registry implements Callable<Integer> {
        @Parameters(index = "0", description = "Registered model name.")
        String name;
        @Parameters(index = "1", description = "Version to promote.")
        String version;
        @Option(names = "--to", defaultValue = "champion", description = "Alias (default ${DEFAULT-VALUE}).")
        String alias;
        @Option(names = "--reason", required = true, description = "Why: recorded on the version.")
        String reason;
        @Option(names = "--force", description = "Promote even if the stored metrics are worse.")
        boolean force;
        @Option(names = "--by", description = "Who promotes (default: $USER).")
        String by;
        @Option(names = "--policy", description = "Promotion policy YAML (default: the embedded config/promotion.yaml).")
        Path policy;
        @Override
        public Integer call() {
            String who = by != null ? by : System.getenv().getOrDefault("USER", "unknown");
            MlflowModelRegistry registry = registry();
            Promotion.Result r = Promotion.promote(registry, name, version, alias, reason, who, force, Clock.systemUTC(),
                    Promotion.Policy.loadOrDefault(policy));
            spec.commandLine().getOut().println("promoted " + name + "/" + version + " to @" + alias
                    + r.previous().map(p -> " (was " + name + "/" + p.version() + ")").orElse("")
                    + (r.forced() ? " [forced]" : "") + "\n  " + registry.client().endpoint().versionPage(name, version));
            return 0;
        }
    }

    @Command(name = "serve-check", mixinStandardHelpOptions = true,
            description = "Whether this build can serve a version (NAME@alias or NAME/version), and how fast: fetch and verify, "
                    + "load, the feature plan recomputed by this build, warm-up, then one bar's prediction for the plan's "
                    + "universe timed. Exits 3 naming the failed step.")
    static final class ServeCheckCommand extends Registry implements Callable<Integer> {
        @Parameters(index = "0", description = "NAME@alias or NAME/version.")
        String ref;
        @Option(names = "--runs", defaultValue = "200", description = "Timed predictions (default ${DEFAULT-VALUE}).")
        int runs;

        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            io.foresail.inference.ServeCheck.Report r = io.foresail.inference.ServeCheck.run(registry(), ModelRef.parse(ref), runs);
            o.println(r.version().name() + "/" + r.version().version() + " (run " + r.version().runId() + ")");
            r.stepSeconds().forEach((step, s) -> o.printf(Locale.ROOT, "  %-14s %8.3f s  ok%n", step, s));
            if (!r.passed()) {
                o.printf(Locale.ROOT, "  %-14s %8s    FAILED: %s%n", r.failedStep(), "", r.reason());
                return ForesailCli.EXIT_CHECK_FAILED;
            }
            o.printf(Locale.ROOT, "  one bar: %d symbols x %d-bar windows, %d runs: p50 %.0f us, p99 %.0f us, max %.0f us%n",
                    r.symbols(), r.window(), r.timedRuns(), r.p50Micros(), r.p99Micros(), r.maxMicros());
            o.println("serve-check passed");
            return 0;
        }
    }
}
