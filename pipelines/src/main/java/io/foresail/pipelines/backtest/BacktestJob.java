package io.foresail.pipelines.backtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foresail.backtest.analytics.Performance;
import io.foresail.backtest.replay.BacktestConfig;
import io.foresail.backtest.report.Tearsheet;
import io.foresail.backtest.replay.BacktestResult;
import io.foresail.backtest.tape.BarTape;
import io.foresail.backtest.replay.Replay;
import io.foresail.backtest.tape.ScoreTape;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.io.Directories;
import io.foresail.core.io.Json;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelCard;
import io.foresail.pipelines.predict.BatchPrediction;
import io.foresail.registry.ModelRef;
import io.foresail.registry.ModelRegistry;
import io.foresail.registry.ModelVersion;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.progress.Progress;
import io.foresail.core.universe.Universe;
import io.foresail.data.store.BarStore;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A backtest from files to a report directory: reads the bar store and the scores (a prediction
 * file, out-of-fold predictions, the oracle, or a registered version predicted here), replays them
 * through the decision path and the simulated venue, and writes {@code summary.json} (figures,
 * period, configuration), {@code equity.csv} (per bar: equity, gross, net, traded, benchmark),
 * the audit trail ({@code decisions.parquet}, {@code risk_events.parquet}, {@code fills.parquet}), the tearsheet ({@code tearsheet.html}, {@code charts/*.png}) and, for a
 * registered version, its {@code predictions.parquet}. The output directory must not exist; it is
 * written under a temporary name and
 * renamed when complete, so a failed backtest leaves nothing that looks like a result.
 */
public final class BacktestJob {

    /** Where the scores come from. */
    public sealed interface Source {
        /** A prediction file ({@code ./foresail predict}), with the model's measured IC (NaN: unknown). */
        record Predictions(Path file, double ic) implements Source {
        }

        /**
         * The synthetic market's oracle file, as the return expected over {@code horizonBars} (0:
         * the strategy's holding period, its rebalance interval).
         */
        record Oracle(Path file, int horizonBars) implements Source {
            public Oracle(Path file) {
                this(file, 0);
            }
        }

        /**
         * Out-of-fold predictions of a training run ({@code <run>/oof/<model>.csv}: symbol, ts, fold,
         * prediction, label): each bar scored by a fit that never saw it, the honest full-history view.
         */
        record OutOfFold(Path file) implements Source {
        }

        /**
         * A registered version ({@code NAME@alias} or {@code NAME/version}): its batch predictions
         * over {@code features} (the rows and bits the live path would score), its measured IC for
         * the Kelly cap, and its training window for the in-sample check.
         */
        record Registered(ModelRegistry registry, ModelRef model, Path features) implements Source {
        }

        /** An unregistered artifact directory ({@code --model}), predicted and checked like a registered version. */
        record LocalModel(Path dir, Path features) implements Source {
        }
    }

    /**
     * The model's training window (bar starts, inclusive), for the in-sample check; null for
     * scores that are out of sample by construction (the oracle, out-of-fold predictions).
     */
    public record TrainingWindow(Instant from, Instant to) {
    }

    /**
     * One backtest. {@code from}/{@code to} may be null (the store's whole range). A period that
     * overlaps {@code trainingWindow} is refused unless {@code allowInSample}, which labels every
     * output IN-SAMPLE.
     */
    public record Request(Path bars, Source source, Instant from, Instant to, BacktestConfig config, Path out,
                          TrainingWindow trainingWindow, boolean allowInSample) {
    }

    /** The outcome: the replay, its figures and where they were written. */
    public record Result(BacktestResult replay, Performance performance, Path out, double replaySeconds, ModelVersion version) {
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
        Path predicted = null;
        ModelVersion version = null;
        TrainingWindow window = r.trainingWindow();
        double ic = Double.NaN;
        if (r.source() instanceof Source.Registered reg) {
            ModelVersion v = reg.registry().resolve(reg.model());
            version = v;
            ModelCard card = ModelArtifact.readCard(reg.registry().fetch(v));
            window = trainingWindow(card, v);
            ic = card.metrics().getOrDefault("oos_rank_ic", Double.NaN);
        } else if (r.source() instanceof Source.LocalModel local) {
            ModelCard card = ModelArtifact.readCard(local.dir());
            window = trainingWindow(card, BatchPrediction.localVersion(local.dir()));
            ic = card.metrics().getOrDefault("oos_rank_ic", Double.NaN);
        }
        String label = inSampleLabel(window, r.allowInSample(), tape);
        ScoreTape scores;
        if (r.source() instanceof Source.Registered reg) {
            predicted = r.out().resolveSibling(r.out().getFileName() + ".predictions.parquet");
            Directories.deleteQuietly(predicted);
            BatchPrediction.run(reg.registry(), new BatchPrediction.Request(ModelRef.parse(version.name() + "/"
                    + version.version()), reg.features(), tape.start(0),
                    tape.start(tape.bars() - 1), predicted));
            scores = ReplayInputs.predictions(predicted, tape, ic);
        } else if (r.source() instanceof Source.LocalModel local) {
            predicted = r.out().resolveSibling(r.out().getFileName() + ".predictions.parquet");
            Directories.deleteQuietly(predicted);
            BatchPrediction.runLocal(local.dir(), local.features(), tape.start(0), tape.start(tape.bars() - 1), predicted);
            scores = ReplayInputs.predictions(predicted, tape, ic);
        } else if (r.source() instanceof Source.Predictions || r.source() instanceof Source.OutOfFold) {
            scores = fileScores(r.source(), tape);
            if (r.from() == null && r.to() == null) {
                // Without a period, replay the span the file scores: idle years before or after it
                // would dilute every annualised figure.
                int first = scores.firstScoredBar();
                int last = scores.lastScoredBar();
                if (first < 0) {
                    throw new InvalidInputException("no score in " + fileOf(r.source()) + " falls on a bar of " + r.bars());
                }
                tape = ReplayInputs.tape(store, universe, calendar, tape.start(first), tape.start(last));
                scores = fileScores(r.source(), tape);
            }
        } else {
            Source.Oracle o = (Source.Oracle) r.source();
            int horizon = o.horizonBars() > 0 ? o.horizonBars() : holdingBars(r.config(), calendar.grid(store.timeframe()));
            scores = ReplayInputs.oracle(o.file(), tape, horizon);
        }
        long t0 = System.nanoTime();
        BacktestResult replay = Replay.run(tape, scores, ReplayInputs.sectors(tape, universe), calendar,
                calendar.grid(store.timeframe()), new Replay.Settings(r.config().strategy(), r.config().execution(), true,
                        label), progress);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Performance perf = Performance.of(replay, calendar.grid(store.timeframe()), tape, scores);
        write(r, tape, replay, perf, predicted, calendar.grid(store.timeframe()));
        return new Result(replay, perf, r.out(), seconds, version);
    }

    private static ScoreTape fileScores(Source source, BarTape tape) {
        return source instanceof Source.Predictions p ? ReplayInputs.predictions(p.file(), tape, p.ic())
                : ReplayInputs.outOfFold(((Source.OutOfFold) source).file(), tape);
    }

    private static Path fileOf(Source source) {
        return source instanceof Source.Predictions p ? p.file() : ((Source.OutOfFold) source).file();
    }

    /** Bars a position is held between rebalances: every_bars, or a full session for times of day. */
    static int holdingBars(BacktestConfig config, io.foresail.core.market.BarGrid grid) {
        Integer every = config.strategy().rebalance().everyBars();
        if (every != null) {
            return every;
        }
        return (int) Math.ceil(23_400.0 / grid.timeframe().duration().getSeconds());
    }

    /** "IN-SAMPLE" when the replayed period overlaps the training window and that is allowed; refused otherwise. */
    static String inSampleLabel(TrainingWindow w, boolean allowInSample, BarTape tape) {
        if (w == null) {
            return "";
        }
        Instant first = tape.start(0);
        Instant last = tape.start(tape.bars() - 1);
        boolean overlaps = !first.isAfter(w.to()) && !last.isBefore(w.from());
        if (!overlaps) {
            return "";
        }
        if (!allowInSample) {
            throw new InvalidInputException("the period " + first + " .. " + last + " overlaps the model's training window "
                    + w.from() + " .. " + w.to() + ": its figures would be in-sample. Backtest after the window (--from "
                    + w.to().atZone(java.time.ZoneId.of("America/New_York")).toLocalDate().plusDays(1)
                    + "), use the run's out-of-fold predictions (--oof), or pass --allow-in-sample to label every output "
                    + "IN-SAMPLE");
        }
        return "IN-SAMPLE";
    }

    private static TrainingWindow trainingWindow(ModelCard card, ModelVersion v) {
        try {
            return new TrainingWindow(Instant.parse(card.trainFrom()), Instant.parse(card.trainTo()));
        } catch (RuntimeException e) {
            throw new InvalidInputException(v.name() + "/" + v.version() + ": its model card has no readable training window ("
                    + card.trainFrom() + " .. " + card.trainTo() + "), so an in-sample period cannot be ruled out");
        }
    }

    private static void write(Request r, BarTape tape, BacktestResult replay, Performance perf, Path predicted,
                              io.foresail.core.market.BarGrid grid) {
        Path tmp = r.out().resolveSibling(r.out().getFileName() + ".partial");
        try {
            Directories.deleteQuietly(tmp);
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
            DecisionFiles.write(tmp, tape.symbols(), replay.decisions(), replay.fills());
            Tearsheet.write(tmp, replay, perf, grid);
            if (predicted != null) {
                Files.move(predicted, tmp.resolve("predictions.parquet"));
            }
            Files.move(tmp, r.out());
        } catch (IOException e) {
            throw new ForesailException("cannot write the backtest report to " + r.out() + ": " + e.getMessage(), e);
        }
    }
}
