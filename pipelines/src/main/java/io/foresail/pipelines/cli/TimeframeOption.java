package io.foresail.pipelines.cli;

import io.foresail.core.market.Timeframe;
import picocli.CommandLine.Option;

/** The {@code --timeframe} option of every command that makes or reads bars; parsed on use, so a bad value names the option. */
final class TimeframeOption {
    @Option(names = "--timeframe", defaultValue = "15Min", paramLabel = "LENGTH",
            description = "Bar length, e.g. 1Min, 15Min, 1Hour, 1Day (default ${DEFAULT-VALUE}).")
    String value;

    Timeframe timeframe() {
        try {
            return Timeframe.parse(value);
        } catch (io.foresail.core.error.InvalidInputException e) {
            throw new io.foresail.core.error.InvalidInputException("--timeframe: " + e.getMessage(), e);
        }
    }
}
