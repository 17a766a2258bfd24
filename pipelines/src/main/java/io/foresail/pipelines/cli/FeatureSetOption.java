package io.foresail.pipelines.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --features} option of every command that reads a built feature set. */
final class FeatureSetOption {
    @Option(names = "--features", required = true, paramLabel = "DIR",
            description = "Feature set directory ROOT/<name>/<id> (as printed by 'features build').")
    Path dir;
}
