package io.foresail.trading.risk;

import java.util.Locale;

/**
 * One risk rule acting on one decision: which rule, on what ({@code scope}: a symbol, a sector,
 * or {@code null} for the whole book), why, and the exposure before and after (a weight for a name,
 * gross exposure for a sector or the book; fractions of equity). The reason is kept as a format
 * with its two numbers and rendered by {@link #reason()} when read, so deciding never formats text.
 */
public record RiskEvent(String rule, String scope, String format, double value, double limit, double before,
                        double after) {

    /** Why the rule acted, in words. */
    public String reason() {
        return String.format(Locale.ROOT, format, value, limit);
    }
}
