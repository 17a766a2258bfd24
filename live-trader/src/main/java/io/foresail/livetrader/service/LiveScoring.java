package io.foresail.livetrader.service;

import io.foresail.core.market.Bar;
import io.foresail.features.engine.FeatureFrame;
import io.foresail.features.engine.OnlineFeatureEngine;
import io.foresail.inference.BarPredictions;
import io.foresail.inference.ChampionPredictor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Bars in, scores out: the {@code OnlineFeatureEngine} and the champion's predictor, fed one
 * cross-section per bar, with the last {@code historyBars} cross-sections kept so that a bar found
 * wrong after it was used (a late minute, a symbol the bars API could not confirm) can be
 * corrected. A correction re-synchronises: a fresh engine and predictor replay the kept history
 * with the corrected bar before the next bar is scored, so no decision reads features computed
 * from a bar the bar store will not hold. While the kept history is shorter than the engine has
 * been running, a re-synchronised engine starts later than the one it replaces; features with
 * unbounded memory (EWMAs) then differ from a cold start's in their far tail, which the engine's
 * warm-up bounds.
 *
 * <p>Not thread-safe: the trader's bar thread owns it.
 */
public final class LiveScoring {
    private static final Logger LOG = LoggerFactory.getLogger(LiveScoring.class);

    /** One kept cross-section: the bars of the universe (and benchmark) starting at {@code start}. */
    private record Kept(Instant start, Map<String, Bar> bars) {
    }

    private final Supplier<OnlineFeatureEngine> engines;
    private final Supplier<ChampionPredictor> predictors;
    private final int historyBars;
    private final ArrayDeque<Kept> history = new ArrayDeque<>();
    private OnlineFeatureEngine engine;
    private ChampionPredictor predictor;
    private boolean resyncDue;
    private long resyncs;
    private long corrections;
    private long featureNanos;

    /**
     * @param engines    a fresh engine for the running plan, each call
     * @param predictors a fresh predictor on the champion watcher, each call
     */
    public LiveScoring(Supplier<OnlineFeatureEngine> engines, Supplier<ChampionPredictor> predictors, int historyBars) {
        this.engines = Objects.requireNonNull(engines, "engines");
        this.predictors = Objects.requireNonNull(predictors, "predictors");
        if (historyBars < 1) {
            throw new IllegalArgumentException("historyBars must be at least 1, got " + historyBars);
        }
        this.historyBars = historyBars;
        this.engine = engines.get();
        this.predictor = predictors.get();
    }

    /** Feeds a past cross-section (the warm-up): features and windows advance, nothing is scored. */
    public void warm(Instant start, Map<String, Bar> bars) {
        keep(start, bars);
        predictor.observe(engine.onBars(start, bars.values()));
    }

    /**
     * Scores the cross-section that just closed (re-synchronising first if a correction is due).
     *
     * @throws IllegalStateException when no model is served yet (the bar is kept and fed anyway)
     */
    public BarPredictions score(Instant start, Map<String, Bar> bars) {
        if (resyncDue) {
            resync();
        }
        long t0 = System.nanoTime();
        keep(start, bars);
        FeatureFrame frame = engine.onBars(start, bars.values());
        featureNanos = System.nanoTime() - t0;
        return predictor.predict(frame);
    }

    /**
     * Replaces {@code symbol}'s bar at {@code barStart} with what the bar store will hold
     * ({@code null}: no bar). Returns whether anything changed; a change re-synchronises before the
     * next score. A bar older than the kept history cannot be corrected: false, and a warning.
     */
    public boolean correct(String symbol, Instant barStart, Bar bar) {
        for (Iterator<Kept> it = history.descendingIterator(); it.hasNext(); ) {
            Kept k = it.next();
            if (k.start().equals(barStart)) {
                Bar had = k.bars().get(symbol);
                if (Objects.equals(had, bar)) {
                    return false;
                }
                if (bar == null) {
                    k.bars().remove(symbol);
                } else {
                    k.bars().put(symbol, bar);
                }
                corrections++;
                resyncDue = true;
                LOG.info("bar {} {}: corrected ({} -> {}); features re-synchronise before the next bar", symbol, barStart,
                        had == null ? "none" : had.close(), bar == null ? "none" : bar.close());
                return true;
            }
            if (k.start().isBefore(barStart)) {
                break;
            }
        }
        LOG.warn("bar {} {}: not in the kept history ({} bars); cannot be corrected", symbol, barStart, history.size());
        return false;
    }

    /** Whether a correction waits for the next score. */
    public boolean resyncDue() {
        return resyncDue;
    }

    /** Rebuilds the engine and the predictor's windows from the kept history. */
    public void resync() {
        long t0 = System.nanoTime();
        engine = engines.get();
        predictor = predictors.get();
        for (Kept k : history) {
            predictor.observe(engine.onBars(k.start(), k.bars().values()));
        }
        resyncDue = false;
        resyncs++;
        LOG.info("features re-synchronised over {} kept bars in {} ms", history.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** The start of the newest cross-section fed, or null before any. */
    public Instant lastStart() {
        return history.isEmpty() ? null : history.peekLast().start();
    }

    public int kept() {
        return history.size();
    }

    /** How long the last {@link #score}'s features took (the bars kept, the engine fed; the rest of it was the model), in nanoseconds. */
    public long lastFeatureNanos() {
        return featureNanos;
    }

    public long resyncs() {
        return resyncs;
    }

    public long corrections() {
        return corrections;
    }

    private void keep(Instant start, Map<String, Bar> bars) {
        history.addLast(new Kept(start, new HashMap<>(bars)));
        while (history.size() > historyBars) {
            history.removeFirst();
        }
    }
}
