package io.foresail.livetrader.service;

import io.foresail.alpacasim.SimFixture;
import io.foresail.alpacasim.Simulator;
import io.foresail.alpacasim.market.ReplayMarket;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.alpacasim.server.SimServerConfig;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.core.market.Timeframe;
import io.foresail.core.universe.Equity;
import io.foresail.core.universe.Sector;
import io.foresail.core.universe.Universe;
import io.foresail.features.library.FeatureLibrary;
import io.foresail.features.set.FeatureSetId;
import io.foresail.features.spec.FeaturePlan;
import io.foresail.features.spec.FeatureSetSpec;
import io.foresail.inference.RunningPlan;
import io.foresail.models.FeatureMatrix;
import io.foresail.models.FitProvenance;
import io.foresail.models.FitRequest;
import io.foresail.models.Model;
import io.foresail.models.ModelInputs;
import io.foresail.models.Task;
import io.foresail.models.TrainingData;
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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trader tests' world: four equities and SPY on the NYSE 15-minute grid (seeded random walks
 * from Monday 2024-03-04), a stepped simulator opening on Wednesday (two sessions of history
 * behind it), a narrow feature plan, and ridge models of that plan published to the real MLflow
 * test server with the alias {@code champion} on the first.
 */
final class TraderWorld {
    static final List<String> SYMBOLS = List.of("AAA", "BBB", "CCC", "DDD", "SPY");
    static final Universe UNIVERSE = new Universe(new Equity("SPY", "S&P 500", Sector.BENCHMARK), List.of(
            new Equity("AAA", "A", Sector.INFORMATION_TECHNOLOGY), new Equity("BBB", "B", Sector.INFORMATION_TECHNOLOGY),
            new Equity("CCC", "C", Sector.ENERGY), new Equity("DDD", "D", Sector.ENERGY)));
    static final String SPEC = "name: live\nfeatures: [{alpha158_kmid: [1]}, {alpha158_roc: [5]}, {alpha158_std: [10]}]\n"
            + "cross_sectional: {ops: [rank], features: [alpha158_roc_5_raw]}\n";
    static final Instant WEDNESDAY_OPEN = Instant.parse("2024-03-06T14:30:00Z");

    final Path dir;
    final MlflowModelRegistry registry;
    final RunningPlan running;

    TraderWorld(Path dir, URI mlflow) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            FeaturePlan plan = FeaturePlan.resolve(FeatureSetSpec.load(Files.writeString(dir.resolve("live.yaml"), SPEC)),
                    FeatureLibrary.standard());
            this.running = RunningPlan.of(plan, Timeframe.MIN_15, UNIVERSE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.registry = new MlflowModelRegistry(MlflowClient.of(MlflowEndpoint.of(mlflow), 4, Duration.ofMillis(100),
                Duration.ofSeconds(60)), new ModelCache(dir.resolve("cache")));
    }

    /** A stepped simulator at Wednesday's open over five sessions of the universe's bars, with these keys. */
    static SimServer simulator(String keyId, String secret) {
        return simulator(keyId, secret, Duration.ZERO);
    }

    /** The same, every API answer a network round trip ({@code latency}) late. */
    static SimServer simulator(String keyId, String secret, Duration latency) {
        ReplayMarket market = new ReplayMarket(SimFixture.bars(SYMBOLS, 5, 11), Timeframe.MIN_15, SimFixture.NYSE, 42);
        Simulator sim = new Simulator(market, ExecutionConfig.defaults(), WEDNESDAY_OPEN, 0);
        SimServerConfig d = SimServerConfig.defaults();
        return SimServer.start(sim, new SimServerConfig(d.host(), 0, keyId, secret, 10_000, d.barsPerPage(), latency));
    }

    /** Versions 1..n of {@code name}, ridge models of the plan with their own seeds, {@code champion} on version 1. */
    List<ModelVersion> champions(String name, int n) {
        List<ModelVersion> out = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(registry.publishInOwnRun("trader-tests", name, model(name + "-v" + i, i), "", Map.of()));
        }
        registry.setAlias(name, "champion", out.get(0).version());
        return out;
    }

    /**
     * A version of {@code name} whose scores are version {@code seed}'s negated (its ranking
     * reversed: every long becomes a short), not promoted.
     */
    ModelVersion reversed(String name, long seed) {
        return registry.publishInOwnRun("trader-tests", name, model(name + "-r" + seed, seed, -1), "", Map.of());
    }

    private Path model(String name, long seed) {
        return model(name, seed, 1);
    }

    private Path model(String name, long seed, int sign) {
        int p = running.columns().size();
        SplittableRandom r = new SplittableRandom(seed);
        int n = 300;
        float[] x = new float[n * p];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i * p + j] = (float) r.nextGaussian();
            }
            y[i] = sign * (x[i * p] * (seed % 2 == 0 ? -0.5f : 0.5f) + x[i * p + 1] + (float) r.nextGaussian() * 0.1f);
        }
        ModelInputs inputs = new ModelInputs("live-set", FeatureSetId.planHash(running.document()), "bars", running.document());
        RidgeTrainer trainer = new RidgeTrainer();
        FitProvenance prov = new FitProvenance(Task.REGRESSION, trainer.searchSpace().withOverrides(Map.of()),
                running.columns(), "label_fwd_1_raw", "live-set", "", "", seed, 1, inputs);
        Path out = dir.resolve(name);
        try (Model m = trainer.fit(new FitRequest(new TrainingData(new FeatureMatrix(x, n, p), y),
                new TrainingData(new FeatureMatrix(x, n, p), y), prov))) {
            m.save(out);
        }
        return out;
    }

    /**
     * A started trader on {@code sim} with {@code config}, its state in {@code stateDir}, the
     * simulator's clock as the venue's, a 100 ms tick.
     */
    Trader trader(SimServer sim, io.foresail.alpaca.rest.AlpacaCredentials keys, TraderConfig config, Path stateDir) {
        io.foresail.livetrader.alpaca.AlpacaEndpoints endpoints = io.foresail.livetrader.alpaca.AlpacaEndpoints.at(sim.baseUri());
        io.foresail.livetrader.alpaca.AlpacaTradingClient clock = new io.foresail.livetrader.alpaca.AlpacaTradingClient(
                endpoints.trading(), keys, io.foresail.livetrader.alpaca.AlpacaTradingClient.Settings.defaults());
        return new Trader(new Trader.Wiring(config, endpoints, keys, registry, stateDir,
                () -> clock.clock().timestamp().toInstant(), Duration.ofMillis(100))).start();
    }

    /** A trader configuration for tests: any free port, fast polling, a book rebuilt every bar. */
    TraderConfig config(String modelName) {
        return config(modelName, 1);
    }

    /** The same, {@code k} names long and {@code k} short (two of the four: every name is in the book). */
    TraderConfig config(String modelName, int k) {
        return config(modelName, k, "");
    }

    /** The same, with {@code bars} added to the {@code bars} section (e.g. {@code ", threads_nice: 5"}). */
    TraderConfig config(String modelName, int k, String bars) {
        String yaml = """
                mode: sim
                model: {name: %s, alias: champion, poll_seconds: 0.5}
                http: {port: 0}
                bars: {grace_seconds: 0, history_bars: 400%s}
                guards: {max_consecutive_rejects: 5, stale_data_bars: 1000}
                strategy:
                  name: t
                  portfolio: {construction: long_short_quantiles, k: %d}
                  rebalance: {every_bars: 1}
                  no_trade_band: 0.0
                  risk:
                    target_volatility: 0
                    max_name: 0.5
                    max_sector: 1.0
                    daily_loss_limit: 0.5
                    drawdown_ladder: [{drawdown: 0.5, scale: 0.0}]
                """.formatted(modelName, bars, k);
        try {
            return TraderConfig.loadOrDefault(Files.writeString(dir.resolve("trader-" + modelName + ".yaml"), yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
