package io.foresail.core.market;

import io.foresail.core.error.InvalidInputException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The length of a bar. Intraday timeframes (minutes, hours) lay bars on a grid that starts at the
 * session open; a daily bar covers one whole session and is stamped with the session open.
 *
 * <p>Parses Alpaca's notation ({@code 15Min}, {@code 1Hour}, {@code 1Day}) and the short forms
 * {@code 15m}, {@code 1h}, {@code 1d}.
 */
public record Timeframe(int amount, Unit unit) {

    /** The unit of a timeframe. */
    public enum Unit { MINUTE, HOUR, DAY }

    public static final Timeframe MIN_1 = new Timeframe(1, Unit.MINUTE);
    public static final Timeframe MIN_15 = new Timeframe(15, Unit.MINUTE);
    public static final Timeframe HOUR_1 = new Timeframe(1, Unit.HOUR);
    public static final Timeframe DAY_1 = new Timeframe(1, Unit.DAY);

    /** The default research and trading timeframe. */
    public static final Timeframe DEFAULT = MIN_15;

    private static final Pattern FORMAT = Pattern.compile(
            "(\\d+)\\s*(min|m|minute|minutes|t|hour|h|hours|day|d|days)", Pattern.CASE_INSENSITIVE);

    public Timeframe {
        switch (unit) {
            case MINUTE -> require(amount >= 1 && amount <= 59, "minutes must be 1..59");
            case HOUR -> require(amount >= 1 && amount <= 23, "hours must be 1..23");
            case DAY -> require(amount == 1, "only 1Day is supported");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidInputException("invalid timeframe: " + message);
        }
    }

    /** Parses {@code 15Min}, {@code 1Hour}, {@code 1Day}, {@code 15m}, {@code 1h}, {@code 1d}. */
    public static Timeframe parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new InvalidInputException("invalid timeframe '" + text
                    + "': expected e.g. 1Min, 15Min, 1Hour or 1Day");
        }
        int amount = Integer.parseInt(m.group(1));
        String u = m.group(2).toLowerCase(Locale.ROOT);
        Unit unit = switch (u.charAt(0)) {
            case 'm', 't' -> Unit.MINUTE;
            case 'h' -> Unit.HOUR;
            default -> Unit.DAY;
        };
        return new Timeframe(amount, unit);
    }

    /** The nominal length of one bar; a session's last intraday bar may be cut short by the close. */
    public Duration duration() {
        return switch (unit) {
            case MINUTE -> Duration.ofMinutes(amount);
            case HOUR -> Duration.ofHours(amount);
            case DAY -> Duration.ofDays(1);
        };
    }

    public boolean isIntraday() {
        return unit != Unit.DAY;
    }

    /** The name Alpaca's Market Data API uses for this timeframe. */
    public String alpacaName() {
        return amount + switch (unit) {
            case MINUTE -> "Min";
            case HOUR -> "Hour";
            case DAY -> "Day";
        };
    }

    @Override
    public String toString() {
        return alpacaName();
    }
}
