package io.foresail.backtest.replay;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.core.config.Yaml;
import io.foresail.trading.decision.StrategyConfig;

import java.nio.file.Path;

/**
 * {@code config/backtest.yaml}: the decision path's {@code strategy} section (the live trader reads
 * the same section) and the simulated venue's {@code execution} section. Unknown keys and values out
 * of range are errors naming the file and field, found before any work.
 */
public record BacktestConfig(@JsonProperty("strategy") StrategyConfig strategy,
                             @JsonProperty("execution") ExecutionConfig execution) {
    public static final String DEFAULT_RESOURCE = "foresail/config/backtest.yaml";

    public BacktestConfig {
        strategy = strategy == null ? StrategyConfig.defaults() : strategy;
        execution = execution == null ? ExecutionConfig.defaults() : execution;
    }

    public static BacktestConfig loadOrDefault(Path file) {
        return file == null ? Yaml.readResource(DEFAULT_RESOURCE, BacktestConfig.class) : Yaml.read(file, BacktestConfig.class);
    }
}
