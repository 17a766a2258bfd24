package io.foresail.trading.orders;

import io.foresail.core.error.InvalidInputException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The deterministic client order id of an intent: a function of the strategy, the bar (its start,
 * UTC), the symbol, the attempt and the leg, e.g. {@code qs-20240102T1445Z-AAPL-0}. A replay of
 * the same bar yields the same ids, and a venue refuses an id it has seen (Alpaca keeps them
 * unique forever), so a bar can never send a second order for a name. A new attempt for the same
 * bar (after a cancel) counts up explicitly. At most 128 characters, as Alpaca allows.
 */
public final class ClientOrderId {
    private static final Pattern STRATEGY = Pattern.compile("[A-Za-z0-9_.]{1,40}");
    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9.\\-/]{1,20}");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'")
            .withZone(ZoneOffset.UTC);

    private ClientOrderId() {
    }

    /** Checks a strategy name once, where the configuration is read. */
    public static String requireStrategy(String strategy) {
        if (strategy == null || !STRATEGY.matcher(strategy).matches()) {
            throw new InvalidInputException("strategy name '" + strategy + "' must be 1 to 40 letters, digits, '_' or '.' "
                    + "(it starts every client order id)");
        }
        return strategy;
    }

    /** Checks a symbol once (where the universe is set up): letters, digits, '.', '-', '/'. */
    public static String requireSymbol(String symbol) {
        if (symbol == null || !SYMBOL.matcher(symbol).matches()) {
            throw new InvalidInputException("symbol '" + symbol + "' cannot name an order");
        }
        return symbol;
    }

    /** The bar's part of an id, {@code yyyyMMdd'T'HHmm'Z'}. */
    public static String bar(Instant barStart) {
        return MINUTE.format(barStart);
    }

    /**
     * The id for {@code symbol} at the bar starting {@code barStart}; {@code leg} is empty, or
     * {@code c}/{@code o} for the closing and opening halves of an order that crosses zero.
     */
    public static String of(String strategy, Instant barStart, String symbol, int attempt, String leg) {
        return of(strategy, bar(barStart), requireSymbol(symbol), attempt, leg);
    }

    /** The same from a {@link #bar} key and a checked symbol: what the planner calls per intent. */
    static String of(String strategy, String bar, String symbol, int attempt, String leg) {
        if (attempt < 0) {
            throw new InvalidInputException("order attempt must be 0 or more, got " + attempt);
        }
        return strategy + '-' + bar + '-' + symbol + '-' + attempt + leg;
    }
}
