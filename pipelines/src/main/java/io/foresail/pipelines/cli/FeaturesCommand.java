package io.foresail.pipelines.cli;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.universe.Universe;
import io.foresail.features.set.FeatureSetManifest;
import io.foresail.features.set.FeatureStats;
import io.foresail.features.spec.FeatureSetSpec;
import io.foresail.pipelines.features.FeatureSetJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code foresail features build|list|describe}: immutable, versioned feature sets. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Feature sets: build with Spark, list, describe.",
        subcommands = {FeaturesCommand.Build.class, FeaturesCommand.ListSets.class, FeaturesCommand.Describe.class})
final class FeaturesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Build a feature set from a bar store; prints its id. An existing id is reused, never rewritten.")
    static final class Build implements Callable<Integer> {
        @Option(names = "--bars", required = true, description = "Bar store directory.")
        Path bars;
        @Option(names = "--spec", description = "Feature-set spec YAML (default: the embedded config/features.yaml).")
        Path specFile;
        @Option(names = "--out", required = true, description = "Feature-set root; the set goes to ROOT/<name>/<id>.")
        Path out;
        @Option(names = "--universe", description = "Universe YAML (default: the embedded config/universe.yaml).")
        Path universe;
        @Option(names = "--master", defaultValue = "local[*]", description = "Spark master (default ${DEFAULT-VALUE}).")
        String master;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            FeatureSetJob.Result r = FeatureSetJob.run(new FeatureSetJob.Request(bars, FeatureSetSpec.loadOrDefault(specFile),
                    out, Universe.loadOrDefault(universe), master));
            if (r.existed()) {
                err.printf(Locale.ROOT, "feature set %s/%s already exists at %s; nothing rewritten%n", r.name(), r.id(), r.dir());
            } else {
                err.printf(Locale.ROOT, "built %s/%s: %d rows, %d symbols, %d columns; checks %.1f s, Spark start-up %.1f s, "
                                + "build %.1f s (%.1f M values/s)%n", r.name(), r.id(), r.rows(), r.symbols(), r.columns(),
                        r.checkSeconds(), r.sparkSeconds(), r.computeSeconds(), r.values() / r.computeSeconds() / 1e6);
                err.println("at " + r.dir());
            }
            err.flush();
            o.println(r.id());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the feature sets under a root.")
    static final class ListSets implements Callable<Integer> {
        @Parameters(index = "0", description = "Feature-set root.")
        Path root;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!Files.isDirectory(root)) {
                throw new InvalidInputException(root + " is not a directory");
            }
            PrintWriter o = spec.commandLine().getOut();
            List<FeatureSetManifest> sets = new ArrayList<>();
            try (Stream<Path> names = Files.list(root)) {
                for (Path name : names.filter(Files::isDirectory).sorted().toList()) {
                    try (Stream<Path> ids = Files.list(name)) {
                        for (Path id : ids.filter(p -> Files.isRegularFile(p.resolve(FeatureSetManifest.FILE))).sorted().toList()) {
                            sets.add(FeatureSetManifest.read(id));
                        }
                    }
                }
            }
            o.printf(Locale.ROOT, "%-24s %-16s %-6s %10s %8s %8s  %-20s  %-20s%n", "name", "id", "tf", "rows", "symbols",
                    "features", "from", "to");
            for (FeatureSetManifest m : sets) {
                o.printf(Locale.ROOT, "%-24s %-16s %-6s %10d %8d %8d  %-20s  %-20s%n", m.name(), m.id(), m.timeframe(), m.rows(),
                        m.symbols().size(), m.features().size(), m.from(), m.to());
            }
            if (sets.isEmpty()) {
                o.println("(no feature sets under " + root + ")");
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Describe one feature set: inputs, and per feature its warm-up, NaN share and statistics.")
    static final class Describe implements Callable<Integer> {
        @Parameters(index = "0", description = "Feature-set directory ROOT/<name>/<id>.")
        Path dir;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            FeatureSetManifest m = FeatureSetManifest.read(dir);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "feature set %s/%s (%s)%n", m.name(), m.id(), m.format());
            o.printf(Locale.ROOT, "  rows %d over %d symbols, %s .. %s, timeframe %s, warm-up rows dropped %d%n", m.rows(),
                    m.symbols().size(), m.from(), m.to(), m.timeframe(), m.warmupRowsDropped());
            o.printf(Locale.ROOT, "  bars %s, engine %s, %d features, %d labels%n", m.barManifestHash(), m.engineVersion(),
                    m.features().size(), m.labels().size());
            o.printf(Locale.ROOT, "%n%-36s %6s %7s %12s %12s %12s %12s%n", "column", "warmup", "nan%", "mean", "std", "min", "max");
            List<FeatureSetManifest.Column> all = new ArrayList<>(m.features());
            all.addAll(m.labels());
            for (FeatureSetManifest.Column c : all) {
                FeatureStats s = c.stats();
                o.printf(Locale.ROOT, "%-36s %6d %6.2f%% %12.5g %12.5g %12.5g %12.5g%n", c.name(), c.warmUp(),
                        100 * s.nanShare(), s.mean(), s.std(), s.min(), s.max());
            }
            return 0;
        }
    }
}
