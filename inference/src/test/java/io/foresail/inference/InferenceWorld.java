package io.foresail.inference;

import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.universe.Equity;
import io.foresail.core.universe.Sector;
import io.foresail.core.universe.Universe;
import io.foresail.features.engine.FeatureFrame;
import io.foresail.features.engine.OnlineFeatureEngine;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.features.spec.FeatureSetSpec;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitProvenance;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelInputs;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
import io.foresail.models.gbm.XGBoostTrainer;
import io.foresail.models.linear.RidgeTrainer;
import io.foresail.registry.ModelCache;
import io.foresail.registry.ModelVersion;
import io.foresail.registry.mlflow.MlflowClient;
import io.foresail.registry.mlflow.MlflowEndpoint;
import io.foresail.registry.mlflow.MlflowModelRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small live world for the inference tests: five equities and the benchmark on the 15-minute
 * NYSE grid (seeded random walks), a narrow feature plan run by the real online engine, and models
 * trained on random rows of that plan's width with the plan recorded in their cards, published to
 * the real MLflow test server.
 */
final class InferenceWorld {
    static final Universe UNIVERSE = new Universe(new Equity("SPY", "S&P 500", Sector.BENCHMARK), List.of(
            new Equity("AAPL", "Apple", Sector.INFORMATION_TECHNOLOGY), new Equity("MSFT", "Microsoft", Sector.INFORMATION_TECHNOLOGY),
            new Equity("JPM", "JPMorgan", Sector.FINANCIALS), new Equity("XOM", "Exxon", Sector.ENERGY),
            new Equity("CVX", "Chevron", Sector.ENERGY)));
    static final String SPEC = "name: live\nfeatures: [{alpha158_kmid: [1]}, {alpha158_roc: [5]}, {tech_rsi: [14]}, "
            + "{alpha158_std: [20]}]\ncross_sectional: {ops: [rank], features: [alpha158_roc_5_raw]}\n";

    final FeaturePlan plan;
    final RunningPlan running;
    final MlflowModelRegistry registry;
    final MlflowClient client;
    final Path dir;

    InferenceWorld(Path dir, URI mlflow) {
        this(dir, mlflow, 4, Duration.ofMillis(100), Duration.ofSeconds(60));
    }

    InferenceWorld(Path dir, URI mlflow, int attempts, Duration backoff, Duration timeout) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            Path spec = Files.writeString(dir.resolve("live.yaml"), SPEC);
            this.plan = FeaturePlan.resolve(FeatureSetSpec.load(spec), FeatureLibrary.standard());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.running = RunningPlan.of(plan, Timeframe.MIN_15, UNIVERSE);
        this.client = MlflowClient.of(MlflowEndpoint.of(mlflow), attempts, backoff, timeout);
        this.registry = new MlflowModelRegistry(client, new ModelCache(dir.resolve("cache")));
    }

    OnlineFeatureEngine engine() {
        return OnlineFeatureEngine.builder(plan).universe(UNIVERSE).calendar(TradingCalendar.nyse())
                .timeframe(Timeframe.MIN_15).build();
    }

    /** {@code n} frames from the first bar of 2024-03-04, all symbols every bar, from seeded random walks. */
    List<FeatureFrame> frames(int n, long seed) {
        OnlineFeatureEngine engine = engine();
        BarGrid grid = TradingCalendar.nyse().grid(Timeframe.MIN_15);
        int g = grid.ceilingIndex(Instant.parse("2024-03-04T14:30:00Z").getEpochSecond());
        SplittableRandom r = new SplittableRandom(seed);
        List<String> symbols = new ArrayList<>(UNIVERSE.allSymbols());
        double[] price = new double[symbols.size()];
        java.util.Arrays.fill(price, 100);
        List<FeatureFrame> out = new ArrayList<>();
        for (int k = 0; k < n; k++, g++) {
            Instant start = Instant.ofEpochSecond(grid.startEpochSecond(g));
            List<Bar> bars = new ArrayList<>();
            for (int s = 0; s < symbols.size(); s++) {
                double open = price[s];
                double close = open * Math.exp(0.004 * r.nextGaussian());
                double high = Math.max(open, close) * (1 + 0.001 * r.nextDouble());
                double low = Math.min(open, close) * (1 - 0.001 * r.nextDouble());
                bars.add(new Bar(symbols.get(s), start, open, high, low, close, 1000 + r.nextInt(5000), (open + close) / 2,
                        10 + r.nextInt(40)));
                price[s] = close;
            }
            out.add(engine.onBars(start, bars));
        }
        return out;
    }

    /** The inputs a model trained on this world's plan records; {@code planDocument} may be another plan's. */
    ModelInputs inputs(com.fasterxml.jackson.databind.JsonNode planDocument) {
        return new ModelInputs("live-set", io.foresail.features.set.FeatureSetId.planHash(planDocument), "bars", planDocument);
    }

    /** A ridge (or XGBoost) fitted to random rows of the plan's width, saved under {@code name}. */
    Path model(String name, ModelInputs inputs, long seed, boolean xgboost) {
        int p = running.columns().size();
        SplittableRandom r = new SplittableRandom(seed);
        int n = 400;
        float[] x = new float[n * p];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i * p + j] = (float) r.nextGaussian();
            }
            y[i] = x[i * p] * 0.5f + x[i * p + 1] * (float) (seed % 3) + (float) r.nextGaussian() * 0.1f;
        }
        TrainingData d = new TrainingData(new FeatureMatrix(x, n, p), y);
        var trainer = xgboost ? new XGBoostTrainer() : new RidgeTrainer();
        FitProvenance prov = new FitProvenance(Task.REGRESSION, trainer.searchSpace().withOverrides(
                xgboost ? Map.of("rounds", 10) : Map.of()), running.columns(), "label_fwd_1_raw", "live-set", "", "", seed, 1, inputs);
        Path out = dir.resolve(name);
        try (Model m = trainer.fit(new FitRequest(d, d, prov))) {
            m.save(out);
        }
        return out;
    }

    /** An LSTM over windows of {@code length} bars, fitted to random rows of the plan's width, saved under {@code name}. */
    Path sequenceModel(String name, ModelInputs inputs, int length, long seed) {
        int p = running.columns().size();
        int symbols = 4;
        int n = 800;
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * p];
        float[] y = new float[n];
        int[] symbol = new int[n];
        for (int i = 0; i < n; i++) {
            symbol[i] = i % symbols;
            for (int j = 0; j < p; j++) {
                x[i * p + j] = (float) r.nextGaussian();
            }
            y[i] = x[i * p] + (i >= symbols ? 0.5f * x[(i - symbols) * p + 1] : 0f);
        }
        var windows = new io.foresail.models.sequence.SequenceWindows(new FeatureMatrix(x, n, p),
                io.foresail.models.sequence.SequenceWindows.links(symbol, symbols), length);
        int[] complete = java.util.stream.IntStream.range(0, n).filter(windows::complete).toArray();
        int[] train = java.util.Arrays.stream(complete).filter(i -> i < 600).toArray();
        int[] validation = java.util.Arrays.stream(complete).filter(i -> i >= 600).toArray();
        var trainer = io.foresail.models.sequence.SequenceNetTrainer.lstm();
        FitProvenance prov = new FitProvenance(Task.REGRESSION, trainer.searchSpace().withOverrides(Map.of("hidden", 8,
                "layers", 1, "epochs", 1)), running.columns(), "label_fwd_1_raw", "live-set", "", "", seed, 1, inputs);
        Path out = dir.resolve(name);
        try (Model m = trainer.fit(new io.foresail.models.sequence.SequenceFitRequest(windows, train, take(y, train),
                validation, take(y, validation), prov))) {
            m.save(out);
        }
        return out;
    }

    private static float[] take(float[] y, int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }

    /**
     * Versions 1..n of {@code modelName}, each a model of this world's plan with its own seed, the
     * alias {@code champion} on the first.
     */
    List<ModelVersion> champions(String modelName, int n, boolean xgboost) {
        List<ModelVersion> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(publish(modelName, model(modelName + "-v" + i, inputs(running.document()), i, xgboost)));
        }
        registry.setAlias(modelName, "champion", out.get(0).version());
        return out;
    }

    ModelVersion publish(String modelName, Path model) {
        return registry.publishInOwnRun("inference-tests", modelName, model, "", Map.of());
    }
}
