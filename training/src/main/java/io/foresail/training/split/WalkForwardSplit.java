package io.foresail.training.split;

import io.foresail.core.error.InvalidInputException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Walk-forward folds in calendar time (docs/training.md): windows of whole calendar months (UTC
 * dates, which are the New York trading dates of intraday bars), stepped forward by
 * {@code stepMonths}. Each fold is train | gap | validation | gap | test, where a gap is
 * {@code purgeBars + embargoBars} bars removed from the end of the earlier segment:
 *
 * <ul>
 *   <li>the purge is at least the label horizon, so no training (or validation) row's label
 *       window reaches into the next segment's bars;</li>
 *   <li>the embargo adds bars against serial correlation of features across the boundary.</li>
 * </ul>
 * A rolling split keeps the training window's length; an anchored one keeps its start. Only
 * folds with a complete test window are made.
 */
public record WalkForwardSplit(Mode mode, int trainMonths, int validationMonths, int testMonths, int stepMonths,
                               int purgeBars, int embargoBars) {

    /** How the training window moves. */
    public enum Mode {
        @com.fasterxml.jackson.annotation.JsonProperty("rolling") ROLLING,
        @com.fasterxml.jackson.annotation.JsonProperty("anchored") ANCHORED
    }

    public WalkForwardSplit {
        if (trainMonths < 1 || validationMonths < 1 || testMonths < 1 || stepMonths < 1) {
            throw new InvalidInputException("walk-forward months must be at least 1: train " + trainMonths
                    + ", validation " + validationMonths + ", test " + testMonths + ", step " + stepMonths);
        }
        if (purgeBars < 0 || embargoBars < 0) {
            throw new InvalidInputException("purge and embargo must not be negative");
        }
    }

    /**
     * Checks that the purge covers the label horizon of the target.
     *
     * @throws InvalidInputException when {@code purgeBars < horizonBars}
     */
    public void requirePurgeCovers(int horizonBars, String label) {
        if (purgeBars < horizonBars) {
            throw new InvalidInputException("purge of " + purgeBars + " bars is shorter than the " + horizonBars
                    + "-bar horizon of " + label + ": training labels would overlap validation and test bars");
        }
    }

    /**
     * The folds over bars with the given ascending times (epoch micros).
     *
     * @throws InvalidInputException when the data is too short for a single fold
     */
    public List<Fold> folds(long[] times) {
        if (times.length == 0) {
            throw new InvalidInputException("no bars to split");
        }
        int first = monthOf(times[0]);
        int last = monthOf(times[times.length - 1]);
        int months = last - first + 1;
        int needed = trainMonths + validationMonths + testMonths;
        int gap = purgeBars + embargoBars;
        List<Fold> folds = new ArrayList<>();
        for (int k = 0; ; k++) {
            int trainStart = mode == Mode.ROLLING ? first + k * stepMonths : first;
            int validationStart = first + k * stepMonths + trainMonths;
            int testStart = validationStart + validationMonths;
            int testEnd = testStart + testMonths;
            if (testEnd > last + 1) {
                break;
            }
            int trainFrom = barAtMonth(times, trainStart);
            int validationFrom = barAtMonth(times, validationStart);
            int testFrom = barAtMonth(times, testStart);
            int testTo = barAtMonth(times, testEnd);
            BarRange train = new BarRange(trainFrom, Math.max(trainFrom, validationFrom - gap));
            BarRange validation = new BarRange(validationFrom, Math.max(validationFrom, testFrom - gap));
            BarRange test = new BarRange(testFrom, testTo);
            if (train.size() == 0 && k == 0 && validation.size() > 0 && test.size() > 0) {
                // Data that starts late in its first month leaves the first training window a few
                // bars, which the gap can swallow: that fold has nothing to learn from, the next
                // ones do. Any other empty window is a configuration that cannot work.
                org.slf4j.LoggerFactory.getLogger(WalkForwardSplit.class).warn(
                        "walk-forward: skipping the first fold, whose training window is empty after the {}-bar gap; "
                                + "the data starts at {}", gap, Instant.EPOCH.plusNanos(times[0] * 1000));
                continue;
            }
            if (train.size() == 0 || validation.size() == 0 || test.size() == 0) {
                throw new InvalidInputException("fold " + k + " is empty after a gap of " + gap
                        + " bars; lengthen the windows or shorten the purge and embargo");
            }
            folds.add(new Fold(folds.size(), train, validation, test));
        }
        if (folds.isEmpty()) {
            throw new InvalidInputException("walk-forward needs at least " + needed + " months (train " + trainMonths
                    + " + validation " + validationMonths + " + test " + testMonths + "); the data spans " + months
                    + " (" + Instant.EPOCH.plusNanos(times[0] * 1000) + " to "
                    + Instant.EPOCH.plusNanos(times[times.length - 1] * 1000) + ")");
        }
        return folds;
    }

    /**
     * The window a deployable model is refit on once the folds have been scored: the same shape as
     * a fold, moved to the end of the data, with no test window (its test is the future). The last
     * {@code validationMonths} calendar months validate (early stopping); training ends a gap
     * before them and spans {@code trainMonths} (rolling) or starts at the first bar (anchored).
     *
     * @throws InvalidInputException when the data is too short for the window
     */
    public Fold refitFold(long[] times) {
        if (times.length == 0) {
            throw new InvalidInputException("no bars to split");
        }
        int first = monthOf(times[0]);
        int end = monthOf(times[times.length - 1]) + 1;
        int validationStart = end - validationMonths;
        int trainStart = mode == Mode.ROLLING ? validationStart - trainMonths : first;
        if (trainStart < first) {
            throw new InvalidInputException("the refit window needs " + (trainMonths + validationMonths)
                    + " months (train " + trainMonths + " + validation " + validationMonths + "); the data spans "
                    + (end - first));
        }
        int gap = purgeBars + embargoBars;
        int trainFrom = barAtMonth(times, trainStart);
        int validationFrom = barAtMonth(times, validationStart);
        BarRange train = new BarRange(trainFrom, Math.max(trainFrom, validationFrom - gap));
        BarRange validation = new BarRange(validationFrom, times.length);
        if (train.size() == 0 || validation.size() == 0) {
            throw new InvalidInputException("the refit window is empty after a gap of " + gap + " bars");
        }
        return new Fold(-1, train, validation, new BarRange(times.length, times.length));
    }

    static int monthOf(long micros) {
        ZonedDateTime t = Instant.EPOCH.plusNanos(micros * 1000).atZone(ZoneOffset.UTC);
        return t.getYear() * 12 + t.getMonthValue() - 1;
    }

    /** The first bar in month {@code month} or later; {@code times.length} if none. */
    private static int barAtMonth(long[] times, int month) {
        int lo = 0;
        int hi = times.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (monthOf(times[mid]) < month) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
