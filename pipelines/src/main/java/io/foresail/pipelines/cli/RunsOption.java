package io.foresail.pipelines.cli;

import picocli.CommandLine.Option;

/** The {@code --runs} option of every benchmark: how many timed repetitions, of which the median is reported. */
final class RunsOption {
    @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
            description = "Timed repetitions per figure; the median is reported (default ${DEFAULT-VALUE}).")
    int count;
}
