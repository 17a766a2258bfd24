package io.foresail.data.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.foresail.core.error.InvalidInputException;
import java.util.Locale;

/**
 * How a bar store's prices and volumes relate to corporate actions, named as Alpaca's
 * {@code adjustment} parameter names them: {@code raw} as traded, {@code split} back-adjusted for
 * splits, {@code dividend} for dividends, {@code all} for both.
 */
public enum Adjustment {
    RAW, SPLIT, DIVIDEND, ALL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Adjustment parse(String text) {
        for (Adjustment a : values()) {
            if (a.wireName().equalsIgnoreCase(text)) {
                return a;
            }
        }
        throw new InvalidInputException("unknown adjustment '" + text + "': expected raw, split, dividend or all");
    }

    /** True when split jumps have been taken out of the prices. */
    public boolean splitAdjusted() {
        return this == SPLIT || this == ALL;
    }
}
