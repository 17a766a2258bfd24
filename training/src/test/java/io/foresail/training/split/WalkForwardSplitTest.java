package io.foresail.training.split;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Walk-forward folds on the real 15-minute NYSE grid: segments in time order, no training or
 * validation row's label window reaches a later segment's bars, windows are whole months.
 */
class WalkForwardSplitTest {
    private static final long[] TIMES = grid(LocalDate.of(2020, 1, 2), LocalDate.of(2023, 12, 29));

    /** {@code times} with about {@code percent} % of its bars dropped at random (seeded), never the first or last. */
    static long[] withMissingBars(long[] times, int percent, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        return java.util.stream.IntStream.range(0, times.length)
                .filter(i -> i == 0 || i == times.length - 1 || r.nextInt(100) >= percent)
                .mapToLong(i -> times[i]).toArray();
    }

    static long[] grid(LocalDate from, LocalDate to) {
        BarGrid g = TradingCalendar.nyse().grid(Timeframe.MIN_15);
        long a = from.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
        long b = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
        return java.util.stream.LongStream.range(0, g.size()).map(i -> g.startEpochSecond((int) i) * 1_000_000L)
                .filter(t -> t >= a && t < b).toArray();
    }

    @Property(tries = 200, seed = "42")
    void noLabelWindowOfATrainingRowReachesValidationOrTest(
            @ForAll @IntRange(min = 1, max = 18) int train, @ForAll @IntRange(min = 1, max = 4) int validation,
            @ForAll @IntRange(min = 1, max = 6) int test, @ForAll @IntRange(min = 1, max = 6) int step,
            @ForAll @IntRange(min = 0, max = 60) int horizon, @ForAll @IntRange(min = 0, max = 60) int extraPurge,
            @ForAll @IntRange(min = 0, max = 60) int embargo, @ForAll boolean anchored,
            @ForAll @IntRange(min = 0, max = 27) int startDay, @ForAll @IntRange(min = 0, max = 30) int missingPercent,
            @ForAll long seed) {
        WalkForwardSplit split = new WalkForwardSplit(anchored ? WalkForwardSplit.Mode.ANCHORED : WalkForwardSplit.Mode.ROLLING,
                train, validation, test, step, horizon + extraPurge, embargo);
        split.requirePurgeCovers(horizon, "label");
        // Real data: it starts mid-month, misses bars (halts, a vendor's gaps), and runs through the
        // grid's early closes and DST changes.
        long[] times = withMissingBars(grid(LocalDate.of(2020, 1, 2).plusDays(startDay), LocalDate.of(2023, 12, 29)),
                missingPercent, seed);
        List<Fold> folds = split.folds(times);
        assertThat(folds).isNotEmpty();
        for (Fold f : folds) {
            // The label of bar t spans bars (t, t + horizon]: its last bar must precede the next segment.
            int lastTrainLabelBar = f.train().to() - 1 + horizon;
            int lastValidationLabelBar = f.validation().to() - 1 + horizon;
            assertThat(lastTrainLabelBar).as("fold %d train label window vs validation", f.index())
                    .isLessThan(f.validation().from());
            assertThat(lastTrainLabelBar).isLessThan(f.test().from());
            assertThat(lastValidationLabelBar).as("fold %d validation label window vs test", f.index())
                    .isLessThan(f.test().from());
            assertThat(f.test().from() - f.validation().to()).isEqualTo(horizon + extraPurge + embargo);
            // Test windows are whole calendar months.
            assertThat(month(times[f.test().from()])).isNotEqualTo(month(times[f.test().from() - 1]));
            assertThat(month(times[f.test().to() - 1]) - month(times[f.test().from()])).isEqualTo(test - 1);
        }
        for (int k = 1; k < folds.size(); k++) {
            assertThat(folds.get(k).test().from()).isGreaterThan(folds.get(k - 1).test().from());
            if (anchored) {
                assertThat(folds.get(k).train().from()).isEqualTo(folds.get(0).train().from());
            } else {
                assertThat(folds.get(k).train().from()).isGreaterThan(folds.get(k - 1).train().from());
            }
        }
    }

    @Test
    void foldsAreWhereTheCalendarSaysAndErrorsAreClear() {
        List<Fold> folds = new WalkForwardSplit(WalkForwardSplit.Mode.ROLLING, 12, 3, 6, 6, 26, 0).folds(TIMES);
        // 48 months: tests start at months 15, 21, 27, 33, 39; 45..50 would pass the end.
        assertThat(folds).hasSize(5);
        assertThat(Instant.EPOCH.plusNanos(TIMES[folds.get(0).test().from()] * 1000).toString()).isEqualTo("2021-04-01T13:30:00Z");
        assertThatThrownBy(() -> new WalkForwardSplit(WalkForwardSplit.Mode.ROLLING, 40, 6, 6, 6, 26, 0).folds(TIMES))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs at least 52 months")
                .hasMessageContaining("spans 48");
        assertThatThrownBy(() -> new WalkForwardSplit(WalkForwardSplit.Mode.ROLLING, 12, 3, 6, 6, 10, 0)
                .requirePurgeCovers(26, "label_fwd_26_raw")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("purge of 10 bars is shorter than the 26-bar horizon of label_fwd_26_raw");
    }

    @Property(tries = 100, seed = "42")
    void theRefitWindowEndsWithTheDataAndKeepsTheGap(
            @ForAll @IntRange(min = 1, max = 30) int train, @ForAll @IntRange(min = 1, max = 6) int validation,
            @ForAll @IntRange(min = 0, max = 60) int purge, @ForAll @IntRange(min = 0, max = 60) int embargo,
            @ForAll boolean anchored) {
        WalkForwardSplit split = new WalkForwardSplit(anchored ? WalkForwardSplit.Mode.ANCHORED : WalkForwardSplit.Mode.ROLLING,
                train, validation, 3, 3, purge, embargo);
        Fold refit = split.refitFold(TIMES);
        assertThat(refit.validation().to()).isEqualTo(TIMES.length);
        assertThat(refit.test().size()).isZero();
        assertThat(refit.validation().from() - refit.train().to()).isEqualTo(purge + embargo);
        // Validation is the last whole calendar months; rolling training is trainMonths long.
        assertThat(month(TIMES[refit.validation().from()])).isNotEqualTo(month(TIMES[refit.validation().from() - 1]));
        assertThat(month(TIMES[TIMES.length - 1]) - month(TIMES[refit.validation().from()])).isEqualTo(validation - 1);
        if (anchored) {
            assertThat(refit.train().from()).isZero();
        } else {
            assertThat(month(TIMES[refit.validation().from()]) - month(TIMES[refit.train().from()])).isEqualTo(train);
        }
    }

    /** Found by the property: data starting on the month's last days leaves a first training month the gap swallows. */
    @Test
    void dataStartingLateInAMonthSkipsTheEmptyFirstFold() {
        long[] late = grid(LocalDate.of(2020, 1, 30), LocalDate.of(2020, 12, 31));
        List<Fold> folds = new WalkForwardSplit(WalkForwardSplit.Mode.ROLLING, 1, 1, 1, 1, 26, 26).folds(late);
        // January holds two sessions (52 bars), all of them the gap: the first fold trains on February.
        assertThat(month(late[folds.get(0).train().from()])).isEqualTo(2020 * 12 + 1);
        assertThat(folds.get(0).index()).isZero();
        assertThat(folds).hasSize(9);
        assertThatThrownBy(() -> new WalkForwardSplit(WalkForwardSplit.Mode.ROLLING, 1, 1, 1, 1, 26, 600).folds(late))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is empty after a gap of 626 bars");
    }

    @Test
    void aRefitWindowLongerThanTheDataIsRefused() {
        assertThatThrownBy(() -> new WalkForwardSplit(WalkForwardSplit.Mode.ROLLING, 46, 3, 3, 3, 26, 0).refitFold(TIMES))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("refit window needs 49 months")
                .hasMessageContaining("spans 48");
    }

    /** The bar's calendar month on the exchange's clock, counted from year 0: the test's own month arithmetic. */
    private static int month(long micros) {
        java.time.YearMonth m = java.time.YearMonth.from(java.time.Instant.ofEpochSecond(micros / 1_000_000L)
                .atZone(java.time.ZoneId.of("America/New_York")));
        return m.getYear() * 12 + m.getMonthValue() - 1;
    }
}
