package io.foresail.pipelines.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.backtest.replay.BacktestResult;
import io.foresail.backtest.replay.Replay;
import io.foresail.backtest.tape.BarTape;
import io.foresail.backtest.tape.ScoreTape;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.core.io.Json;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.progress.Progress;
import io.foresail.core.universe.Universe;
import io.foresail.data.store.BarStore;
import io.foresail.data.synth.SynthConfig;
import io.foresail.pipelines.testing.TestMarkets;
import io.foresail.registry.python.PythonEnv;
import io.foresail.trading.decision.StrategyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same simple strategy (long the top k by score at equal weight, rebalanced every bar,
 * fractional shares, next-open fills, a commission in basis points, nothing else) in Foresail,
 * backtrader and vectorbt (pinned, in the project's peers virtualenv), on the same bars and the
 * same scores: the equity curves must agree bar by bar.
 *
 * <p>Tolerance: 1e-7 of equity. The three size the same orders from the same numbers (equity and
 * price at the decision bar's close); the differences left are Foresail's rounding of targets to
 * a millionth of a share, and the order in which each sums cash and positions. A difference above
 * that is a bug in someone's accounting.
 */
class PeersSideBySideTest {
    private static final Path MARKET = TestMarkets.of(SynthConfig.builder().symbols(8).start(LocalDateHolder.START)
            .end(LocalDateHolder.END).seed(5).build());
    private static final int K = 3;
    private static final double GROSS = 0.95;
    private static final double FEE = 0.001;

    /** The cached market's dates (the one the other backtest tests use). */
    private static final class LocalDateHolder {
        static final java.time.LocalDate START = java.time.LocalDate.of(2022, 1, 3);
        static final java.time.LocalDate END = java.time.LocalDate.of(2022, 12, 30);
    }

    @TempDir
    Path dir;

    @Test
    void foresailBacktraderAndVectorbtAgreeOnTheEquityCurve() throws IOException {
        TradingCalendar nyse = TradingCalendar.nyse();
        BarStore store = BarStore.open(MARKET.resolve("bars"));
        BarTape tape = ReplayInputs.tape(store, Universe.defaultUniverse(), nyse, Instant.parse("2022-03-01T14:30:00Z"),
                Instant.parse("2022-05-31T20:00:00Z"));
        ScoreTape scores = ReplayInputs.oracle(MARKET.resolve("oracle").resolve("oracle.parquet"), tape);
        StrategyConfig simple = new StrategyConfig("peers", new StrategyConfig.Portfolio("long_only_top_k", K),
                new StrategyConfig.Rebalance(1, null), 0.0,
                new StrategyConfig.Risk(0.0, null, null, null, 1.0, 1.0, GROSS, GROSS, List.of(), 0.99),
                new StrategyConfig.Orders(true, 0.0));
        ExecutionConfig execution = new ExecutionConfig("next_open", 100_000.0, new ExecutionConfig.Commission(0.0, 0.0,
                FEE * 1e4), 0.0, 0.0, 0.0, 1.0, "carry", new ExecutionConfig.Shorting(false, 0.0), null);
        BacktestResult ours = Replay.run(tape, scores, ReplayInputs.sectors(tape, Universe.defaultUniverse()), nyse,
                nyse.grid(store.timeframe()), new Replay.Settings(simple, execution, false, ""), Progress.NONE);

        StringBuilder bars = new StringBuilder("ts,symbol,open,high,low,close,volume\n");
        StringBuilder sc = new StringBuilder("ts,symbol,score\n");
        for (int t = 0; t < tape.bars(); t++) {
            for (int i = 0; i < tape.symbols().size(); i++) {
                String ts = tape.start(t).toString();
                String s = tape.symbols().get(i);
                bars.append(String.format(Locale.ROOT, "%s,%s,%.17g,%.17g,%.17g,%.17g,%.17g%n", ts, s, tape.open()[i][t],
                        tape.high()[i][t], tape.low()[i][t], tape.close()[i][t], tape.volume()[i][t]));
                double v = scores.values()[t][i];
                if (!Double.isNaN(v)) {
                    sc.append(String.format(Locale.ROOT, "%s,%s,%.17g%n", ts, s, v));
                }
            }
        }
        Path barsCsv = Files.writeString(dir.resolve("bars.csv"), bars);
        Path scoresCsv = Files.writeString(dir.resolve("scores.csv"), sc);
        Path repo = Path.of(System.getProperty("foresail.repoRoot", ".."));
        PythonEnv env = PythonEnv.ensure(repo.resolve("work").resolve("venv-peers"), "foresail/python/peers-requirements.txt");
        Path script = PythonEnv.script("foresail/python/peers_backtest.py", dir.resolve("peers_backtest.py"));
        String[] lines = PythonEnv.exec(List.of(env.python().toString(), script.toString(), barsCsv.toString(),
                scoresCsv.toString(), Integer.toString(K), Double.toString(GROSS), Double.toString(FEE), "100000"), dir, 600)
                .strip().split("\n");
        JsonNode peers = Json.MAPPER.readTree(lines[lines.length - 1]);

        List<String> theirOrder = new java.util.ArrayList<>();
        peers.get("symbols").forEach(n -> theirOrder.add(n.asText()));
        assertThat(theirOrder).as("the same universe").containsExactlyInAnyOrderElementsOf(tape.symbols());
        assertThat(ours.finalEquity()).as("a run that traded and moved").isNotCloseTo(100_000, org.assertj.core.api.Assertions.within(100.0));
        for (String peer : List.of("backtrader", "vectorbt")) {
            JsonNode equity = peers.get(peer).get("equity");
            assertThat(equity.size()).as(peer + " bars").isEqualTo(tape.bars());
            double worst = 0;
            int at = -1;
            for (int t = 0; t < tape.bars(); t++) {
                double diff = Math.abs(equity.get(t).asDouble() - ours.equity()[t]) / ours.equity()[t];
                if (diff > worst) {
                    worst = diff;
                    at = t;
                }
            }
            assertThat(worst).as("%s: worst relative difference at bar %d (%s): ours %.6f, theirs %.6f", peer, at,
                    at < 0 ? "-" : tape.start(at), at < 0 ? 0 : ours.equity()[at], at < 0 ? 0 : equity.get(at).asDouble())
                    .isLessThan(1e-7);
        }
    }
}
