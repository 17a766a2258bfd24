package io.foresail.pipelines.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.backtest.analytics.Performance;
import io.foresail.backtest.replay.BacktestConfig;
import io.foresail.core.io.Json;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.progress.Progress;
import io.foresail.data.synth.SynthConfig;
import io.foresail.pipelines.testing.TestMarkets;
import io.foresail.registry.python.PythonEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The backtest's figures against empyrical (pinned, in the project's analytics virtualenv) on the
 * same daily returns: a real replay of the oracle on a cached market, with costs, so the returns
 * have drawdowns, losing days and a benchmark to regress on.
 */
class PerformanceCrossCheckTest {
    private static final Path MARKET = TestMarkets.of(SynthConfig.builder().symbols(8).start(LocalDate.of(2022, 1, 3))
            .end(LocalDate.of(2022, 12, 30)).seed(5).build());

    @TempDir
    Path dir;

    @Test
    void sharpeSortinoDrawdownCalmarAlphaAndBetaAgreeWithEmpyrical() throws IOException {
        BacktestJob.Result r = BacktestJob.run(new BacktestJob.Request(MARKET.resolve("bars"),
                new BacktestJob.Source.Oracle(MARKET.resolve("oracle").resolve("oracle.parquet")), null, null,
                BacktestConfig.loadOrDefault(null), dir.resolve("bt"), null, false), Progress.NONE);
        Performance.Daily daily = Performance.daily(r.replay(), TradingCalendar.nyse().grid(Timeframe.MIN_15));
        StringBuilder csv = new StringBuilder("r,b\n");
        for (int k = 0; k < daily.returns().length; k++) {
            // Seventeen significant digits: the same doubles on both sides.
            csv.append(String.format(Locale.ROOT, "%.17g,%.17g%n", daily.returns()[k], daily.benchmark()[k]));
        }
        Path file = dir.resolve("daily.csv");
        Files.writeString(file, csv);
        Path repo = Path.of(System.getProperty("foresail.repoRoot", ".."));
        PythonEnv env = PythonEnv.ensure(repo.resolve("work").resolve("venv-analytics"),
                "foresail/python/analytics-requirements.txt");
        Path script = PythonEnv.script("foresail/python/empyrical_check.py", dir.resolve("empyrical_check.py"));
        String[] lines = PythonEnv.exec(List.of(env.python().toString(), script.toString(), file.toString()), dir, 300)
                .strip().split("\n");
        JsonNode theirs = Json.MAPPER.readTree(lines[lines.length - 1]); // the JSON line; warnings may precede it

        Map<String, Double> ours = r.performance().figures();
        assertThat(daily.returns().length).isGreaterThan(200);
        assertThat(ours.get("max_drawdown")).as("a run with a drawdown to compare").isLessThan(-0.001);
        for (String figure : List.of("annual_return", "annual_volatility", "sharpe", "sortino", "max_drawdown", "calmar",
                "alpha", "beta", "benchmark_annual_return")) {
            double expected = theirs.get(figure).asDouble();
            assertThat(ours.get(figure)).as(figure).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
        }
    }
}
