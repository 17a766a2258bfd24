package io.foresail.core.market;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The regular session of one trading day: {@code open} and {@code close} are UTC instants
 * ({@code close} exclusive). {@code earlyClose} marks a shortened session (13:00 New York time on
 * NYSE).
 */
public record TradingSession(LocalDate date, Instant open, Instant close, boolean earlyClose) {

    public boolean contains(Instant t) {
        return !t.isBefore(open) && t.isBefore(close);
    }
}
