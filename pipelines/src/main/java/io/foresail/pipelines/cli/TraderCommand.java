package io.foresail.pipelines.cli;

import io.foresail.pipelines.sim.SimProcess;
import io.foresail.pipelines.trader.TraderProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code foresail trader kill [--flatten] | resume --reason ... | status}: the operator's controls
 * of the trader of a state directory, run in the trader's own JVM (over its HTTP endpoint when it
 * runs, on its state file otherwise).
 */
@Command(name = "trader", mixinStandardHelpOptions = true,
        description = "Operate the trader: kill [--flatten] [--reason ...], resume --reason ..., status.")
final class TraderCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "kill | resume | status")
    String action;
    @Option(names = "--flatten", description = "kill: close every position too (at the next bar close).")
    boolean flatten;
    @Option(names = "--reason", description = "Why (recorded; required to resume).")
    String reason;
    @Option(names = "--config", description = "Trader configuration (default: the embedded config/trader.yaml).")
    String config;
    @Option(names = "--state-dir", description = "State directory (default: the configuration's).")
    String stateDir;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of(action));
        if (flatten) {
            args.add("--flatten");
        }
        if (reason != null) {
            args.addAll(List.of("--reason", reason));
        }
        if (config != null) {
            args.addAll(List.of("--config", config));
        }
        if (stateDir != null) {
            args.addAll(List.of("--state-dir", stateDir));
        }
        return TraderProcess.run(SimProcess.home(), args);
    }
}
