package io.foresail.core.market;

import io.foresail.core.error.InvalidInputException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An exchange's trading days and regular sessions over a fixed range of dates, and the bar grid
 * they imply. All instants are UTC; {@link #zone()} is the exchange's local time zone, in which
 * trading dates are reckoned. Asking about a date outside {@link #firstDate()}..{@link #lastDate()}
 * is an error rather than a guess.
 */
public interface TradingCalendar {

    /** The NYSE calendar, 2015 through 2027. */
    static TradingCalendar nyse() {
        return NyseCalendar.INSTANCE;
    }

    String name();

    ZoneId zone();

    LocalDate firstDate();

    LocalDate lastDate();

    /** The regular session of {@code date}, empty on weekends and holidays. */
    Optional<TradingSession> session(LocalDate date);

    /** Every session in the calendar's range, in date order. */
    List<TradingSession> sessions();

    /** The bar grid of {@code timeframe} over the calendar's whole range (cached). */
    BarGrid grid(Timeframe timeframe);

    default boolean isTradingDay(LocalDate date) {
        return session(date).isPresent();
    }

    default TradingSession requireSession(LocalDate date) {
        return session(date).orElseThrow(() -> new InvalidInputException(
                date + " is not a trading day on " + name()));
    }

    /** Sessions with dates in {@code [from, to]}. */
    default List<TradingSession> sessions(LocalDate from, LocalDate to) {
        checkCovered(from);
        checkCovered(to);
        List<TradingSession> out = new ArrayList<>();
        for (TradingSession s : sessions()) {
            if (!s.date().isBefore(from) && !s.date().isAfter(to)) {
                out.add(s);
            }
        }
        return out;
    }

    default LocalDate nextTradingDay(LocalDate date) {
        LocalDate d = date.plusDays(1);
        while (!isTradingDay(d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    default LocalDate previousTradingDay(LocalDate date) {
        LocalDate d = date.minusDays(1);
        while (!isTradingDay(d)) {
            d = d.minusDays(1);
        }
        return d;
    }

    /** The exchange-local date of an instant. */
    default LocalDate localDate(Instant t) {
        return LocalDate.ofInstant(t, zone());
    }

    /** The bar starts of {@code date}: empty on a non-trading day. */
    default List<Instant> barGrid(LocalDate date, Timeframe timeframe) {
        checkCovered(date);
        return grid(timeframe).barsOf(date);
    }

    default boolean isBarStart(Instant t, Timeframe timeframe) {
        checkCovered(localDate(t));
        return grid(timeframe).contains(t);
    }

    /** The first bar start strictly after {@code t}. */
    default Instant nextBar(Instant t, Timeframe timeframe) {
        checkCovered(localDate(t));
        return grid(timeframe).next(t).orElseThrow(() -> new InvalidInputException(
                "no bar after " + t + ": " + name() + " ends on " + lastDate()));
    }

    /** The last bar start strictly before {@code t}. */
    default Instant previousBar(Instant t, Timeframe timeframe) {
        checkCovered(localDate(t));
        return grid(timeframe).previous(t).orElseThrow(() -> new InvalidInputException(
                "no bar before " + t + ": " + name() + " starts on " + firstDate()));
    }

    /** The number of bar starts in {@code [from, to)}. */
    default long barsBetween(Instant from, Instant to, Timeframe timeframe) {
        checkCovered(localDate(from));
        checkCovered(localDate(to));
        return grid(timeframe).barsBetween(from, to);
    }

    default void checkCovered(LocalDate date) {
        if (date.isBefore(firstDate()) || date.isAfter(lastDate())) {
            throw new InvalidInputException(date + " is outside the " + name() + " calendar, which covers "
                    + firstDate() + " to " + lastDate());
        }
    }
}
