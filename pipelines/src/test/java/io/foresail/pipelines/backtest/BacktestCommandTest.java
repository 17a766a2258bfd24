package io.foresail.pipelines.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.core.io.Json;
import io.foresail.data.synth.SynthConfig;
import io.foresail.pipelines.cli.CliRun;
import io.foresail.pipelines.testing.TestMarkets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code foresail backtest} end to end on a cached synthetic market: the oracle, noise, and bad input. */
class BacktestCommandTest {
    private static final Path MARKET = TestMarkets.of(SynthConfig.builder().symbols(8).start(LocalDate.of(2022, 1, 3))
            .end(LocalDate.of(2022, 12, 30)).seed(5).build());

    @TempDir
    Path dir;

    private Path config(String strategy) throws IOException {
        Path f = dir.resolve("bt.yaml");
        Files.writeString(f, "strategy:\n" + strategy + "execution: {half_spread_bps: 0, slippage_bps: 0, impact_bps: 0}\n");
        return f;
    }

    @Test
    void theOraclesScoresMakeMoneyThroughTheDecisionPathAndTheReportSaysSo() throws IOException {
        Path out = dir.resolve("oracle");
        CliRun run = CliRun.of("backtest", "--bars", MARKET.resolve("bars").toString(), "--oracle",
                MARKET.resolve("oracle").resolve("oracle.parquet").toString(), "--config",
                config("  portfolio: {construction: long_short_quantiles, k: 2}\n  rebalance: {every_bars: 1}\n"
                        + "  risk: {max_sector: 1.0}\n").toString(), "--from", "2022-03-01", "--out", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("backtest of oracle over 2022-03-01T14:30:00Z").contains("sharpe").contains("report:");
        JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("symbols").asInt()).isEqualTo(8);
        assertThat(summary.get("benchmark").asText()).isEqualTo("SPY");
        // The planted edge is small (IC 0.03 over 50 names; eight names measure it noisily) but
        // real: measured over some 5,000 bars its t-statistic (3.1 here) is beyond what noise gives.
        assertThat(summary.path("figures").path("realised_ic").asDouble()).isGreaterThan(0.01);
        assertThat(summary.path("figures").path("realised_ic_t").asDouble()).isGreaterThan(2.5);
        JsonNode f = summary.path("figures");
        assertThat(f.path("total_return").asDouble()).isGreaterThan(0);
        assertThat(f.path("calmar").asDouble()).isCloseTo(f.path("annual_return").asDouble()
                / -f.path("max_drawdown").asDouble(), org.assertj.core.api.Assertions.within(1e-12)).isPositive();
        assertThat(f.path("cost_spread").asDouble()).as("no spread configured").isZero();
        List<String> equity = Files.readAllLines(out.resolve("equity.csv"));
        assertThat(equity.get(0)).isEqualTo("ts,equity,gross,net,traded,benchmark");
        assertThat(equity.get(1)).startsWith("2022-03-01T14:30:00Z,100000.000000,");
        long fills = rows(out.resolve("fills.parquet"));
        assertThat(fills).isGreaterThan(100).isEqualTo(summary.get("fills").asLong());
        // One decision row per bar and symbol: the equity curve's bars times eight names.
        assertThat(rows(out.resolve("decisions.parquet"))).isEqualTo(8L * (equity.size() - 1));
        assertThat(rows(out.resolve("risk_events.parquet"))).isEqualTo(summary.get("risk_events").asLong());
        assertThat(Files.exists(dir.resolve("oracle.partial"))).isFalse();

        // The tearsheet: one page holding every chart, and the charts as PNG files beside it.
        assertThat(run.out()).contains("tearsheet: " + out.resolve("tearsheet.html"));
        String html = Files.readString(out.resolve("tearsheet.html"));
        assertThat(html).contains("Backtest: oracle").doesNotContain("IN-SAMPLE").doesNotContain("src=\"charts/");
        for (String chart : io.foresail.backtest.report.Tearsheet.charts()) {
            java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve("charts").resolve(chart + ".png").toFile());
            assertThat(png).as(chart).isNotNull();
            assertThat(png.getWidth()).isEqualTo(900);
            assertThat(html).contains("alt=\"" + chart + "\" src=\"data:image/png;base64,");
        }
    }

    private static long rows(Path parquet) throws IOException {
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(new org.apache.parquet.io.LocalInputFile(parquet),
                org.apache.parquet.ParquetReadOptions.builder(new org.apache.parquet.conf.PlainParquetConfiguration()).build())) {
            return reader.getRecordCount();
        }
    }

    @Test
    void aRunsOutOfFoldPredictionsBacktestAndABadRowIsNamed() throws IOException {
        // Out-of-fold rows as a training run writes them, here carrying the oracle's values.
        StringBuilder csv = new StringBuilder("symbol,ts,fold,prediction,label\n");
        for (var s : io.foresail.data.synth.OracleFile.read(MARKET.resolve("oracle").resolve("oracle.parquet")).values()) {
            for (int k = 0; k < s.tsMicros().length; k++) {
                if (!Double.isNaN(s.expectedReturn()[k])) {
                    csv.append(s.symbol()).append(',').append(java.time.Instant.ofEpochSecond(s.tsMicros()[k] / 1_000_000))
                            .append(",0,").append(s.expectedReturn()[k]).append(",0\n");
                }
            }
        }
        Path oof = Files.writeString(dir.resolve("xgboost.csv"), csv);
        Path out = dir.resolve("oof");
        CliRun run = CliRun.of("backtest", "--bars", MARKET.resolve("bars").toString(), "--oof", oof.toString(), "--from",
                "2022-06-01", "--out", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("backtest of out-of-fold xgboost over 2022-06-01T13:30:00Z");
        assertThat(Json.MAPPER.readTree(out.resolve("summary.json").toFile()).path("figures").path("realised_ic").asDouble())
                .isGreaterThan(0.01);

        Path bad = Files.writeString(dir.resolve("bad.csv"), "symbol,ts,fold,prediction,label\nAAPL,yesterday,0,0.1,0\n");
        CliRun refused = CliRun.of("backtest", "--bars", MARKET.resolve("bars").toString(), "--oof", bad.toString(), "--out",
                dir.resolve("bad").toString());
        assertThat(refused.err()).contains("bad.csv row 2").contains("'yesterday'");
    }

    /**
     * The default decision path (daily, at the close) on the oracle's expected return over its
     * holding period: clearly profitable net of default costs where an alpha is planted, and
     * within noise of zero or below where none is ({@code --alpha-ic 0}).
     */
    @Test
    void theOracleIsProfitableNetOfCostsOnlyWhereAnAlphaIsPlanted() throws IOException {
        // The default universe (the decision path holds 10 names a side) over a year.
        Path planted = TestMarkets.of(SynthConfig.builder().symbols(50).start(LocalDate.of(2023, 1, 2))
                .end(LocalDate.of(2023, 12, 29)).seed(5).splits(0).build());
        Path flat = TestMarkets.of(SynthConfig.builder().symbols(50).start(LocalDate.of(2023, 1, 2))
                .end(LocalDate.of(2023, 12, 29)).seed(5).splits(0).alphaIc(0).build());
        double[] sharpe = new double[2];
        int k = 0;
        for (Path market : List.of(planted, flat)) {
            Path out = dir.resolve("default-" + k);
            CliRun run = CliRun.of("backtest", "--bars", market.resolve("bars").toString(), "--oracle",
                    market.resolve("oracle").resolve("oracle.parquet").toString(), "--out", out.toString());
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("backtest of oracle over 26 bars");
            JsonNode f = Json.MAPPER.readTree(out.resolve("summary.json").toFile()).path("figures");
            assertThat(f.path("costs").asDouble()).as("default costs are paid").isPositive();
            sharpe[k++] = f.path("sharpe").asDouble();
        }
        // One year of daily returns: a Sharpe ratio's standard error is about 1.
        assertThat(sharpe[1]).as("no alpha: within noise of zero or below").isLessThan(2.0);
        assertThat(sharpe[0]).as("planted alpha, net of costs").isGreaterThan(1.5).isGreaterThan(sharpe[1] + 1.5);
    }

    @Test
    void badInputIsOneClearErrorBeforeAnyWork() throws IOException {
        String bars = MARKET.resolve("bars").toString();
        String oracle = MARKET.resolve("oracle").resolve("oracle.parquet").toString();
        CliRun noBars = CliRun.of("backtest", "--bars", bars, "--oracle", oracle, "--from", "2030-01-02", "--to", "2030-02-01",
                "--out", dir.resolve("a").toString());
        assertThat(noBars.code()).isNotZero();
        assertThat(noBars.err()).contains("no bars in the period").contains("2022-01-03");
        Path capped = dir.resolve("capped.yaml");
        Files.writeString(capped, "strategy:\n  risk: {max_name: 1.5}\n");
        CliRun cap = CliRun.of("backtest", "--bars", bars, "--oracle", oracle, "--config", capped.toString(), "--out",
                dir.resolve("b").toString());
        assertThat(cap.err()).contains("capped.yaml").contains("max_name").contains("1.5");
        Path cost = dir.resolve("cost.yaml");
        Files.writeString(cost, "execution: {slippage_bps: -1}\n");
        CliRun negative = CliRun.of("backtest", "--bars", bars, "--oracle", oracle, "--config", cost.toString(), "--out",
                dir.resolve("c").toString());
        assertThat(negative.err()).contains("cost.yaml").contains("execution.slippage_bps must be 0 or more");
        CliRun noScores = CliRun.of("backtest", "--bars", bars, "--out", dir.resolve("d").toString());
        assertThat(noScores.err()).contains("give the scores, one of");
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    void aStoreWithoutTheBenchmarkIsRefusedNamingIt() throws IOException {
        // A store of the market's equities only.
        io.foresail.data.store.BarStore full = io.foresail.data.store.BarStore.open(MARKET.resolve("bars"));
        Path equities = dir.resolve("equities");
        var w = io.foresail.data.store.BarStoreWriter.create(equities, "NYSE", full.timeframe(), full.adjustment(),
                java.util.Map.of());
        for (String s : full.symbols()) {
            if (!s.equals("SPY")) {
                w.put(full.read(s));
            }
        }
        w.commit();
        CliRun run = CliRun.of("backtest", "--bars", equities.toString(), "--oracle",
                MARKET.resolve("oracle").resolve("oracle.parquet").toString(), "--out", dir.resolve("e").toString());
        assertThat(run.err()).contains("the benchmark SPY is not in the bar store");
    }
}
