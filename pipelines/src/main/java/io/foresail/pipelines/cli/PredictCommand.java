package io.foresail.pipelines.cli;

import io.foresail.pipelines.predict.BatchPrediction;
import io.foresail.registry.ModelCache;
import io.foresail.registry.ModelRef;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code foresail predict}: a registered version over a feature set, written as a prediction file. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict a feature set (or a range of it) with a registered model version (NAME@alias or NAME/version) "
                + "and write the predictions as Parquet: symbol, ts, score, model_version. Scores the rows the live "
                + "path would, with the same bits.")
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "NAME@alias or NAME/version.")
    String model;
    @Mixin
    FeatureSetOption features;
    @Mixin
    PeriodOption period;
    @Option(names = "--out", required = true, description = "Prediction file (.parquet); must not exist.")
    Path out;
    @Option(names = "--cache", defaultValue = "work/model-cache", description = "Local cache of verified versions (default ${DEFAULT-VALUE}).")
    Path cache;
    @Mixin
    TrackingServer tracking;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MlflowModelRegistry registry = new MlflowModelRegistry(MlflowClient.of(tracking.endpoint()), new ModelCache(cache));
        BatchPrediction.Result r = BatchPrediction.run(registry, new BatchPrediction.Request(ModelRef.parse(model), features.dir,
                period.from(), period.to(), out));
        spec.commandLine().getOut().printf(Locale.ROOT,
                "predicted %,d rows with %s/%s (run %s) into %s in %.1f s (%,.0f rows/s); %,d rows of symbols still warming up%n",
                r.scored(), r.version().name(), r.version().version(), r.version().runId(), r.out(), r.seconds(),
                r.rowsPerSecond(), r.warmingUp());
        return 0;
    }
}
