package io.foresail.pipelines.backtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foresail.backtest.analytics.Performance;
import io.foresail.backtest.replay.BacktestConfig;
import io.foresail.backtest.replay.BacktestResult;
import io.foresail.backtest.tape.BarTape;
import io.foresail.backtest.replay.Replay;
import io.foresail.backtest.tape.ScoreTape;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.io.Json;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.progress.Progress;
import io.foresail.core.universe.Universe;
import io.foresail.data.store.BarStore;
import io.foresail.trading.broker.Fill;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A backtest from files to a report directory: reads the bar store and the scores, replays them
 * through the decision path and the simulated venue, and writes {@code summary.json} (figures,
 * period, configuration), {@code equity.csv} (per bar: equity, gross, net, traded, benchmark) and
 * {@code fills.csv}. The output directory must not exist; it is written under a temporary name and
 * renamed when complete, so a failed backtest leaves nothing that looks like a result.
 */
public final class BacktestJob {

    /** Where the scores come from. */
    public sealed interface Source {
        /** A prediction file ({@code ./foresail predict}), with the model's measured IC (NaN: unknown). */
        record Predictions(Path file, double ic) implements Source {
        }

        /** The synthetic market's oracle file. */
        record Oracle(Path file) implements Source {
        }
    }

    /** One backtest. {@code from}/{@code to} may be null (the store's whole range). */
    public record Request(Path bars, Source source, Instant from, Instant to, BacktestConfig config, Path out, String label) {
    }

    /** The outcome: the replay, its figures and where they were written. */
    public record Result(BacktestResult replay, Performance performance, Path out, double replaySeconds) {
    }

    private BacktestJob() {
    }

    public static Result run(Request r, Progress progress) {
        if (Files.exists(r.out())) {
            throw new InvalidInputException(r.out() + " exists; a backtest writes a new directory");
        }
        BarStore store = BarStore.open(r.bars());
        Universe universe = Universe.defaultUniverse();
        TradingCalendar calendar = TradingCalendar.nyse();
        BarTape tape = ReplayInputs.tape(store, universe, calendar, r.from(), r.to());
        ScoreTape scores = r.source() instanceof Source.Predictions p ? ReplayInputs.predictions(p.file(), tape, p.ic())
                : ReplayInputs.oracle(((Source.Oracle) r.source()).file(), tape);
        long t0 = System.nanoTime();
        BacktestResult replay = Replay.run(tape, scores, ReplayInputs.sectors(tape, universe), calendar,
                calendar.grid(store.timeframe()), new Replay.Settings(r.config().strategy(), r.config().execution(), false,
                        r.label()), progress);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Performance perf = Performance.of(replay, calendar.grid(store.timeframe()), tape, scores);
        write(r, tape, replay, perf);
        return new Result(replay, perf, r.out(), seconds);
    }

    private static void write(Request r, BarTape tape, BacktestResult replay, Performance perf) {
        Path tmp = r.out().resolveSibling(r.out().getFileName() + ".partial");
        try {
            io.foresail.core.io.Directories.deleteQuietly(tmp);
            Files.createDirectories(tmp);
            ObjectNode summary = Json.MAPPER.createObjectNode();
            summary.put("label", replay.label());
            summary.put("scores", replay.source());
            summary.put("bars", r.bars().toString());
            summary.put("from", tape.start(0).toString());
            summary.put("to", tape.start(tape.bars() - 1).toString());
            summary.put("symbols", tape.symbols().size());
            summary.put("benchmark", tape.benchmark());
            summary.put("orders", replay.orders());
            summary.put("fills", replay.fills().size());
            summary.put("risk_events", replay.riskEvents());
            ObjectNode figures = summary.putObject("figures");
            for (Map.Entry<String, Double> e : perf.figures().entrySet()) {
                if (Double.isFinite(e.getValue())) {
                    figures.put(e.getKey(), e.getValue());
                } else {
                    figures.putNull(e.getKey());
                }
            }
            summary.set("config", Json.MAPPER.valueToTree(r.config()));
            Files.writeString(tmp.resolve("summary.json"), Json.SORTED_PRETTY.writeValueAsString(summary));
            try (BufferedWriter w = Files.newBufferedWriter(tmp.resolve("equity.csv"))) {
                w.write("ts,equity,gross,net,traded,benchmark\n");
                for (int t = 0; t < replay.bars(); t++) {
                    w.write(String.format(Locale.ROOT, "%s,%.6f,%.6f,%.6f,%.6f,%s%n", tape.start(t), replay.equity()[t],
                            replay.gross()[t], replay.net()[t], replay.traded()[t],
                            Double.isNaN(replay.benchmarkClose()[t]) ? "" : Double.toString(replay.benchmarkClose()[t])));
                }
            }
            try (BufferedWriter w = Files.newBufferedWriter(tmp.resolve("fills.csv"))) {
                w.write("at,client_order_id,symbol,side,quantity,price,fees\n");
                for (Fill f : replay.fills()) {
                    w.write(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%.6f,%.6f%n", f.at(), f.clientOrderId(), f.symbol(),
                            f.side(), f.quantity(), f.price(), f.fees()));
                }
            }
            Files.move(tmp, r.out());
        } catch (IOException e) {
            throw new ForesailException("cannot write the backtest report to " + r.out() + ": " + e.getMessage(), e);
        }
    }
}
