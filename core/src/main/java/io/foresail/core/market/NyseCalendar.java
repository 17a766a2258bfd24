package io.foresail.core.market;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The New York Stock Exchange calendar from 2015 through 2027: regular sessions 09:30-16:00
 * America/New_York, early closes at 13:00, and the exchange's holiday rules.
 *
 * <p>Holidays: New Year's Day, Martin Luther King Jr. Day, Washington's Birthday, Good Friday,
 * Memorial Day, Juneteenth (from 2022), Independence Day, Labor Day, Thanksgiving and Christmas. A
 * holiday on Saturday is observed the Friday before, on Sunday the Monday after, except New Year's
 * Day on a Saturday, which NYSE does not observe (the year-end session stays open). Special
 * closures: 2018-12-05 (President G.H.W. Bush) and 2025-01-09 (President Carter).
 *
 * <p>Early closes at 13:00: the day after Thanksgiving; Christmas Eve when it is a weekday and not
 * itself the observed Christmas; and July 3 when it is a Monday to Thursday (so Independence Day
 * falls Tuesday to Friday). Time zone conversion goes through {@link ZoneId}, so DST transitions
 * move the UTC open between 14:30Z (EST) and 13:30Z (EDT).
 */
final class NyseCalendar implements TradingCalendar {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalTime OPEN = LocalTime.of(9, 30);
    private static final LocalTime CLOSE = LocalTime.of(16, 0);
    private static final LocalTime EARLY_CLOSE = LocalTime.of(13, 0);
    private static final LocalDate FIRST = LocalDate.of(2015, 1, 1);
    private static final LocalDate LAST = LocalDate.of(2027, 12, 31);
    private static final Set<LocalDate> SPECIAL_CLOSURES = Set.of(
            LocalDate.of(2018, 12, 5),
            LocalDate.of(2025, 1, 9));
    /** Declared after the constants the constructor reads. */
    static final NyseCalendar INSTANCE = new NyseCalendar();

    private final List<TradingSession> sessions;
    private final Map<LocalDate, TradingSession> byDate;
    private final Map<Timeframe, BarGrid> grids = new ConcurrentHashMap<>();

    private NyseCalendar() {
        Set<LocalDate> holidays = new TreeSet<>(SPECIAL_CLOSURES);
        Set<LocalDate> earlyCloses = new TreeSet<>();
        for (int year = FIRST.getYear(); year <= LAST.getYear() + 1; year++) {
            holidays.addAll(holidaysOf(year));
        }
        for (int year = FIRST.getYear(); year <= LAST.getYear(); year++) {
            earlyCloses.addAll(earlyClosesOf(year, holidays));
        }
        List<TradingSession> list = new ArrayList<>();
        Map<LocalDate, TradingSession> map = new HashMap<>();
        for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1)) {
            if (isWeekend(d) || holidays.contains(d)) {
                continue;
            }
            boolean early = earlyCloses.contains(d);
            TradingSession s = new TradingSession(d,
                    d.atTime(OPEN).atZone(NEW_YORK).toInstant(),
                    d.atTime(early ? EARLY_CLOSE : CLOSE).atZone(NEW_YORK).toInstant(),
                    early);
            list.add(s);
            map.put(d, s);
        }
        this.sessions = Collections.unmodifiableList(list);
        this.byDate = Map.copyOf(map);
    }

    private static boolean isWeekend(LocalDate d) {
        DayOfWeek w = d.getDayOfWeek();
        return w == DayOfWeek.SATURDAY || w == DayOfWeek.SUNDAY;
    }

    /** Full-day holidays of {@code year} (observed dates), which may include Dec 31 of the year before. */
    static List<LocalDate> holidaysOf(int year) {
        List<LocalDate> out = new ArrayList<>();
        LocalDate newYear = LocalDate.of(year, 1, 1);
        if (newYear.getDayOfWeek() != DayOfWeek.SATURDAY) {
            out.add(observed(newYear));
        }
        out.add(nth(year, Month.JANUARY, DayOfWeek.MONDAY, 3));
        out.add(nth(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3));
        out.add(easterSunday(year).minusDays(2));
        out.add(LocalDate.of(year, Month.MAY, 1).with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY)));
        if (year >= 2022) {
            out.add(observed(LocalDate.of(year, 6, 19)));
        }
        out.add(observed(LocalDate.of(year, 7, 4)));
        out.add(nth(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1));
        out.add(thanksgiving(year));
        out.add(observed(LocalDate.of(year, 12, 25)));
        return out;
    }

    private static List<LocalDate> earlyClosesOf(int year, Set<LocalDate> holidays) {
        List<LocalDate> out = new ArrayList<>();
        out.add(thanksgiving(year).plusDays(1));
        LocalDate christmasEve = LocalDate.of(year, 12, 24);
        if (!isWeekend(christmasEve) && !holidays.contains(christmasEve)) {
            out.add(christmasEve);
        }
        LocalDate july3 = LocalDate.of(year, 7, 3);
        DayOfWeek w = july3.getDayOfWeek();
        if (w.getValue() <= DayOfWeek.THURSDAY.getValue() && !holidays.contains(july3)) {
            out.add(july3);
        }
        return out;
    }

    private static LocalDate observed(LocalDate holiday) {
        return switch (holiday.getDayOfWeek()) {
            case SATURDAY -> holiday.minusDays(1);
            case SUNDAY -> holiday.plusDays(1);
            default -> holiday;
        };
    }

    private static LocalDate nth(int year, Month month, DayOfWeek dow, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dow));
    }

    private static LocalDate thanksgiving(int year) {
        return nth(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4);
    }

    /** Gregorian Easter Sunday (the anonymous Meeus/Jones/Butcher algorithm). */
    static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = ((h + l - 7 * m + 114) % 31) + 1;
        return LocalDate.of(year, month, day);
    }

    @Override
    public String name() {
        return "NYSE";
    }

    @Override
    public ZoneId zone() {
        return NEW_YORK;
    }

    @Override
    public LocalDate firstDate() {
        return FIRST;
    }

    @Override
    public LocalDate lastDate() {
        return LAST;
    }

    @Override
    public Optional<TradingSession> session(LocalDate date) {
        checkCovered(date);
        return Optional.ofNullable(byDate.get(date));
    }

    @Override
    public List<TradingSession> sessions() {
        return sessions;
    }

    @Override
    public BarGrid grid(Timeframe timeframe) {
        return grids.computeIfAbsent(timeframe, tf -> new BarGrid(tf, sessions));
    }
}
