package io.foresail.core.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresail.core.error.InvalidInputException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NyseCalendarTest {
    private final TradingCalendar cal = TradingCalendar.nyse();

    /** NYSE's published full-day closures, 2015-2027 (nyse.com holiday pages), typed in independently of the rules. */
    private static final String HOLIDAYS = """
            2015-01-01 2015-01-19 2015-02-16 2015-04-03 2015-05-25 2015-07-03 2015-09-07 2015-11-26 2015-12-25
            2016-01-01 2016-01-18 2016-02-15 2016-03-25 2016-05-30 2016-07-04 2016-09-05 2016-11-24 2016-12-26
            2017-01-02 2017-01-16 2017-02-20 2017-04-14 2017-05-29 2017-07-04 2017-09-04 2017-11-23 2017-12-25
            2018-01-01 2018-01-15 2018-02-19 2018-03-30 2018-05-28 2018-07-04 2018-09-03 2018-11-22 2018-12-05 2018-12-25
            2019-01-01 2019-01-21 2019-02-18 2019-04-19 2019-05-27 2019-07-04 2019-09-02 2019-11-28 2019-12-25
            2020-01-01 2020-01-20 2020-02-17 2020-04-10 2020-05-25 2020-07-03 2020-09-07 2020-11-26 2020-12-25
            2021-01-01 2021-01-18 2021-02-15 2021-04-02 2021-05-31 2021-07-05 2021-09-06 2021-11-25 2021-12-24
            2022-01-17 2022-02-21 2022-04-15 2022-05-30 2022-06-20 2022-07-04 2022-09-05 2022-11-24 2022-12-26
            2023-01-02 2023-01-16 2023-02-20 2023-04-07 2023-05-29 2023-06-19 2023-07-04 2023-09-04 2023-11-23 2023-12-25
            2024-01-01 2024-01-15 2024-02-19 2024-03-29 2024-05-27 2024-06-19 2024-07-04 2024-09-02 2024-11-28 2024-12-25
            2025-01-01 2025-01-09 2025-01-20 2025-02-17 2025-04-18 2025-05-26 2025-06-19 2025-07-04 2025-09-01 2025-11-27 2025-12-25
            2026-01-01 2026-01-19 2026-02-16 2026-04-03 2026-05-25 2026-06-19 2026-07-03 2026-09-07 2026-11-26 2026-12-25
            2027-01-01 2027-01-18 2027-02-15 2027-03-26 2027-05-31 2027-06-18 2027-07-05 2027-09-06 2027-11-25 2027-12-24
            """;

    /** NYSE's published 13:00 early closes, 2015-2027. */
    private static final String EARLY_CLOSES = """
            2015-11-27 2015-12-24 2016-11-25 2017-07-03 2017-11-24 2018-07-03 2018-11-23 2018-12-24
            2019-07-03 2019-11-29 2019-12-24 2020-11-27 2020-12-24 2021-11-26 2022-11-25
            2023-07-03 2023-11-24 2024-07-03 2024-11-29 2024-12-24 2025-07-03 2025-11-28 2025-12-24
            2026-11-27 2026-12-24 2027-11-26
            """;

    private static Set<LocalDate> dates(String text) {
        return Stream.of(text.trim().split("\\s+")).map(LocalDate::parse).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyWeekdayIsATradingDayExactlyWhenItIsNotAPublishedHoliday() {
        Set<LocalDate> holidays = dates(HOLIDAYS);
        Set<LocalDate> computed = new TreeSet<>();
        for (LocalDate d = cal.firstDate(); !d.isAfter(cal.lastDate()); d = d.plusDays(1)) {
            boolean weekend = d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
            if (!weekend && !cal.isTradingDay(d)) {
                computed.add(d);
            }
            if (weekend) {
                assertThat(cal.isTradingDay(d)).as("%s is a weekend", d).isFalse();
            }
        }
        assertThat(computed).containsExactlyElementsOf(holidays);
    }

    @Test
    void earlyClosesAreExactlyThePublishedOnesAt1300NewYork() {
        Set<LocalDate> early = dates(EARLY_CLOSES);
        Set<LocalDate> computed = cal.sessions().stream().filter(TradingSession::earlyClose)
                .map(TradingSession::date).collect(Collectors.toCollection(TreeSet::new));
        assertThat(computed).containsExactlyElementsOf(early);
        TradingSession s = cal.requireSession(LocalDate.of(2024, 11, 29));
        assertThat(ZonedDateTime.ofInstant(s.close(), cal.zone()).toLocalTime()).hasToString("13:00");
        assertThat(cal.barGrid(s.date(), Timeframe.MIN_15)).hasSize(14);
    }

    @Test
    void newYearOnSaturdayIsNotObservedOnTheFridayBefore() {
        assertThat(cal.isTradingDay(LocalDate.of(2021, 12, 31))).isTrue();
        assertThat(cal.isTradingDay(LocalDate.of(2027, 12, 31))).isTrue();
    }

    @Test
    void sessionOpenFollowsDaylightSavingTime() {
        assertThat(cal.requireSession(LocalDate.of(2024, 3, 8)).open()).isEqualTo(Instant.parse("2024-03-08T14:30:00Z"));
        assertThat(cal.requireSession(LocalDate.of(2024, 3, 11)).open()).isEqualTo(Instant.parse("2024-03-11T13:30:00Z"));
        assertThat(cal.requireSession(LocalDate.of(2024, 11, 1)).close()).isEqualTo(Instant.parse("2024-11-01T20:00:00Z"));
        assertThat(cal.requireSession(LocalDate.of(2024, 11, 4)).close()).isEqualTo(Instant.parse("2024-11-04T21:00:00Z"));
    }

    @Test
    void barGridsOfEachTimeframe() {
        LocalDate d = LocalDate.of(2024, 6, 3);
        List<Instant> bars15 = cal.barGrid(d, Timeframe.MIN_15);
        assertThat(bars15).hasSize(26);
        assertThat(bars15.get(0)).isEqualTo(Instant.parse("2024-06-03T13:30:00Z"));
        assertThat(bars15.get(25)).isEqualTo(Instant.parse("2024-06-03T19:45:00Z"));
        assertThat(cal.barGrid(d, Timeframe.MIN_1)).hasSize(390);
        List<Instant> hourly = cal.barGrid(d, Timeframe.HOUR_1);
        assertThat(hourly).hasSize(7).last().isEqualTo(Instant.parse("2024-06-03T19:30:00Z"));
        BarGrid g = cal.grid(Timeframe.HOUR_1);
        assertThat(g.end(g.indexOf(hourly.get(6)))).isEqualTo(Instant.parse("2024-06-03T20:00:00Z"));
        assertThat(cal.barGrid(d, Timeframe.DAY_1)).containsExactly(Instant.parse("2024-06-03T13:30:00Z"));
        assertThat(cal.barGrid(LocalDate.of(2024, 6, 1), Timeframe.MIN_15)).isEmpty();
    }

    @Test
    void nextPreviousAndCountAcrossAWeekendAndAHoliday() {
        Instant fridayLast = Instant.parse("2024-06-14T19:45:00Z");
        assertThat(cal.nextBar(fridayLast, Timeframe.MIN_15)).isEqualTo(Instant.parse("2024-06-17T13:30:00Z"));
        // 2024-06-19 (Wednesday) is Juneteenth: the next bar after Tuesday's close is Thursday's open.
        assertThat(cal.nextBar(Instant.parse("2024-06-18T19:45:00Z"), Timeframe.MIN_15))
                .isEqualTo(Instant.parse("2024-06-20T13:30:00Z"));
        assertThat(cal.previousBar(Instant.parse("2024-06-17T13:30:00Z"), Timeframe.MIN_15)).isEqualTo(fridayLast);
        assertThat(cal.previousBar(Instant.parse("2024-06-17T13:40:00Z"), Timeframe.MIN_15))
                .isEqualTo(Instant.parse("2024-06-17T13:30:00Z"));
        // Mon 17th, Tue 18th, Thu 20th, Fri 21st: four full days.
        assertThat(cal.barsBetween(Instant.parse("2024-06-17T00:00:00Z"), Instant.parse("2024-06-22T00:00:00Z"),
                Timeframe.MIN_15)).isEqualTo(4 * 26);
        assertThat(cal.isBarStart(Instant.parse("2024-06-17T13:31:00Z"), Timeframe.MIN_15)).isFalse();
    }

    @Test
    void datesOutsideTheCalendarAreAnErrorNotAGuess() {
        assertThatThrownBy(() -> cal.isTradingDay(LocalDate.of(2014, 12, 31)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("outside the NYSE calendar");
        assertThatThrownBy(() -> cal.nextBar(Instant.parse("2028-01-03T15:00:00Z"), Timeframe.MIN_15))
                .isInstanceOf(InvalidInputException.class);
    }

    @Property(tries = 300, seed = "42")
    void nextAndPreviousBarAreInverseAndCountsAdd(@ForAll @IntRange(min = 0, max = 3000) int day,
                                                  @ForAll @IntRange(min = 0, max = 86_399) int second,
                                                  @ForAll @IntRange(min = 1, max = 400) int span) {
        Instant t = Instant.parse("2016-01-04T00:00:00Z").plusSeconds(day * 86_400L + second);
        Instant next = cal.nextBar(t, Timeframe.MIN_15);
        assertThat(next).isAfter(t);
        assertThat(cal.isBarStart(next, Timeframe.MIN_15)).isTrue();
        assertThat(cal.previousBar(next, Timeframe.MIN_15)).isBefore(next);
        assertThat(cal.nextBar(cal.previousBar(next, Timeframe.MIN_15), Timeframe.MIN_15)).isEqualTo(next);
        assertThat(cal.barsBetween(t, next, Timeframe.MIN_15)).isBetween(0L, 1L);
        Instant mid = t.plusSeconds(span * 3600L);
        Instant end = mid.plusSeconds(span * 1800L);
        assertThat(cal.barsBetween(t, mid, Timeframe.MIN_15) + cal.barsBetween(mid, end, Timeframe.MIN_15))
                .isEqualTo(cal.barsBetween(t, end, Timeframe.MIN_15));
    }

    @Test
    void aFullYearHasTheRightNumberOfBars() {
        // 2024: 252 sessions, 3 of them early closes (14 bars instead of 26).
        assertThat(cal.sessions(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31))).hasSize(252);
        assertThat(cal.barsBetween(Instant.parse("2024-01-01T05:00:00Z"), Instant.parse("2025-01-01T05:00:00Z"),
                Timeframe.MIN_15)).isEqualTo(252 * 26 - 3 * 12);
    }
}
