package io.foresail.pipelines.cli;

import io.foresail.core.error.InvalidInputException;
import io.foresail.data.adjust.CorporateActions;
import io.foresail.data.store.BarStore;
import io.foresail.data.synth.OracleSummary;
import io.foresail.data.synth.SynthConfig;
import io.foresail.data.synth.SynthOutput;
import io.foresail.data.validate.BarValidator;
import io.foresail.data.validate.ValidationConfig;
import io.foresail.data.validate.ValidationMode;
import io.foresail.data.validate.ValidationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresail quickstart}: the research loop on embedded defaults. Today: generate the default
 * synthetic market, validate it, and summarise it. Re-running reuses a market that the same
 * settings already generated (generation is deterministic, so it would be the same bytes).
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Run the main job on embedded defaults: synthetic market -> validation -> summary.")
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "work/quickstart", description = "Working directory (default ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--symbols", defaultValue = "50", description = "Equities (default ${DEFAULT-VALUE}).")
    int symbols;
    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        SynthConfig config = SynthConfig.builder().symbols(symbols).seed(seed).build();
        Path bars = out.resolve("bars");
        long t0 = System.nanoTime();
        if (BarStore.exists(bars)) {
            var p = BarStore.open(bars).manifest().provenance();
            if (!String.valueOf(seed).equals(p.get("seed")) || !String.valueOf(symbols).equals(p.get("symbols"))
                    || !SynthOutput.GENERATOR_VERSION.equals(p.get("generator"))) {
                throw new InvalidInputException(out + " holds a market made with other settings (" + p
                        + "); delete it or pass another --out");
            }
            o.println("[1/3] synthetic market: reusing " + out + " (same settings, same bytes)");
        } else {
            o.println("[1/3] synthetic market: generating " + symbols + " equities + benchmark, "
                    + config.start() + " .. " + config.end() + ", " + config.timeframe() + " bars");
            SynthOutput.write(out, config, 0, new ConsoleProgress(System.err));
        }
        double genSecs = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        o.println("[2/3] validation (strict): raw bars with corporate actions, then adjusted bars");
        CorporateActions actions = CorporateActions.load(out.resolve("corporate_actions.csv"));
        BarValidator validator = new BarValidator(ValidationConfig.builder().corporateActions(actions).build());
        ValidationReport raw = validator.validate(BarStore.open(out.resolve("raw")), ValidationMode.STRICT).report();
        ValidationReport adjusted = validator.validate(BarStore.open(bars), ValidationMode.STRICT).report();
        BarValidator.writeReport(adjusted, out.resolve("bars-validation.json"));
        double valSecs = (System.nanoTime() - t1) / 1e9;

        BarStore store = BarStore.open(bars);
        OracleSummary oracle = SynthOutput.readSummary(out);
        o.println("[3/3] summary");
        o.printf(Locale.ROOT, "  bars:        %s%n", bars);
        o.printf(Locale.ROOT, "  symbols:     %d (%d equities + benchmark %s)%n", store.symbols().size(), symbols,
                config.universe().benchmark().symbol());
        o.printf(Locale.ROOT, "  range:       %s .. %s, %s%n", store.manifest().first(), store.manifest().last(),
                store.manifest().timeframe());
        o.printf(Locale.ROOT, "  rows:        %,d%n", store.manifest().rows());
        o.printf(Locale.ROOT, "  content:     sha256:%s%n", store.manifest().contentSha256());
        o.printf(Locale.ROOT, "  splits:      %d, explained in raw bars: %d%n", actions.all().size(),
                raw.symbols().stream().mapToInt(s -> s.splitsExplained()).sum());
        o.printf(Locale.ROOT, "  validation:  raw %s, adjusted %s (%s)%n", verdict(raw), verdict(adjusted),
                out.resolve("bars-validation.json"));
        o.printf(Locale.ROOT, "  oracle IC:   %.4f (rank IC %.4f ± %.4f) for a target of %.4f%n", oracle.icMean(),
                oracle.rankIcMean(), oracle.rankIcStdErr(), oracle.targetIc());
        o.printf(Locale.ROOT, "  time:        market %.1f s, validation %.1f s%n", genSecs, valSecs);
        o.println("next: foresail data info " + bars + "   |   docs/synthetic-market.md explains the market");
        return raw.passed() && adjusted.passed() ? 0 : ForesailCli.EXIT_CHECK_FAILED;
    }

    private static String verdict(ValidationReport r) {
        return r.passed() ? "PASSED" : "FAILED";
    }
}
