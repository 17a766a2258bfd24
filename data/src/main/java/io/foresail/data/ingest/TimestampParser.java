package io.foresail.data.ingest;

import io.foresail.core.error.InvalidInputException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Turns a vendor's timestamp text into a UTC instant, per {@link ColumnMapping#timestampFormat()}.
 * Throws {@link DateTimeParseException} or {@link NumberFormatException}; the importer adds the
 * file, row and column to the message.
 */
final class TimestampParser {
    private final String format;
    private final ZoneId zone;
    private final DateTimeFormatter pattern;

    TimestampParser(String format, ZoneId zone) {
        this.format = format.toLowerCase(Locale.ROOT);
        this.zone = zone;
        DateTimeFormatter p = null;
        if (!this.format.equals("iso") && !this.format.startsWith("epoch_")) {
            try {
                p = DateTimeFormatter.ofPattern(format, Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("column mapping: timestamp_format '" + format
                        + "' is neither iso, epoch_s|ms|us|ns nor a valid pattern: " + e.getMessage());
            }
        }
        this.pattern = p;
    }

    Instant parse(String text) {
        String s = text.trim();
        return switch (format) {
            case "iso" -> iso(s);
            case "epoch_s" -> Instant.ofEpochSecond(Long.parseLong(s));
            case "epoch_ms" -> Instant.ofEpochMilli(Long.parseLong(s));
            case "epoch_us" -> Instant.EPOCH.plusNanos(Math.multiplyExact(Long.parseLong(s), 1000L));
            case "epoch_ns" -> Instant.EPOCH.plusNanos(Long.parseLong(s));
            default -> LocalDateTime.parse(s, pattern).atZone(zone).toInstant();
        };
    }

    /** A date and a time column, read with the pattern split at its first space (e.g. MM/dd/yyyy HH:mm). */
    Instant parse(String date, String time) {
        if (pattern == null) {
            LocalDate d = LocalDate.parse(date.trim());
            LocalTime t = LocalTime.parse(time.trim());
            return d.atTime(t).atZone(zone).toInstant();
        }
        return LocalDateTime.parse(date.trim() + " " + time.trim(), pattern).atZone(zone).toInstant();
    }

    private Instant iso(String s) {
        String t = s.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t).atZone(zone).toInstant();
            } catch (DateTimeParseException e2) {
                return LocalDate.parse(t).atStartOfDay(zone).toInstant();
            }
        }
    }
}
