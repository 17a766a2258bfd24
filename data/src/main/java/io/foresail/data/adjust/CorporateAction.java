package io.foresail.data.adjust;

import io.foresail.core.error.InvalidInputException;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A stock split taking effect at the open of {@code exDate} (exchange-local date). {@code ratio} is
 * new shares per old share: 4.0 for a 4-for-1 split, 0.1 for a 1-for-10 reverse split. Prices before
 * the ex-date divide by the ratio; volumes multiply by it.
 */
public record CorporateAction(String symbol, LocalDate exDate, double ratio) {
    public CorporateAction {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(exDate, "exDate");
        if (!(ratio > 0) || Double.isInfinite(ratio) || ratio == 1.0) {
            throw new InvalidInputException("split ratio for " + symbol + " on " + exDate
                    + " must be a positive number other than 1, got " + ratio);
        }
    }
}
