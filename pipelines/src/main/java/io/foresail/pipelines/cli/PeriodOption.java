package io.foresail.pipelines.cli;

import io.foresail.core.error.InvalidInputException;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The {@code --from}/{@code --to} options of commands that work on a period of bars: a date is a
 * New York session (from its open, or through its end), otherwise an ISO-8601 instant. Absent:
 * the data's own start or end.
 */
final class PeriodOption {
    @Option(names = "--from", description = "First bar: YYYY-MM-DD (New York session) or an ISO-8601 instant.")
    String from;
    @Option(names = "--to", description = "Last bar: YYYY-MM-DD (through that session) or an ISO-8601 instant.")
    String to;

    Instant from() {
        return instant(from, "--from", false);
    }

    Instant to() {
        return instant(to, "--to", true);
    }

    private static Instant instant(String text, String option, boolean endOfDay) {
        if (text == null) {
            return null;
        }
        try {
            if (text.length() == 10) {
                LocalDate d = LocalDate.parse(text);
                ZoneId zone = ZoneId.of("America/New_York");
                return endOfDay ? d.plusDays(1).atStartOfDay(zone).toInstant().minusNanos(1000) : d.atStartOfDay(zone).toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(option + " is '" + text + "', expected YYYY-MM-DD or an ISO-8601 instant");
        }
    }
}
