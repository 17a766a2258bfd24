package io.foresail.core.universe;

import io.foresail.core.error.InvalidInputException;
import java.util.regex.Pattern;

/** One tradable symbol of the universe with its GICS sector. Symbols are upper-case tickers. */
public record Equity(String symbol, String name, Sector sector) {
    private static final Pattern TICKER = Pattern.compile("[A-Z][A-Z0-9.]{0,9}");

    public Equity {
        if (symbol == null || !TICKER.matcher(symbol).matches()) {
            throw new InvalidInputException("invalid symbol '" + symbol
                    + "': expected an upper-case ticker such as AAPL or BRK.B");
        }
        if (sector == null) {
            throw new InvalidInputException("symbol " + symbol + " has no sector");
        }
        name = name == null ? symbol : name;
    }
}
