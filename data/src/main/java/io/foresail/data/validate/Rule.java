package io.foresail.data.validate;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The bar-store validation rules. Row rules judge one row and a failing row can be quarantined;
 * series rules judge a symbol's accepted rows as a whole and no row can be dropped to fix them.
 */
public enum Rule {
    OFF_GRID(true, "timestamp is not a bar start on the trading calendar's grid"),
    OUT_OF_ORDER(true, "timestamp is not after the previous row's"),
    DUPLICATE(true, "a row with this timestamp was already accepted"),
    OHLC(true, "low <= open, close <= high does not hold"),
    PRICE(true, "a price is not finite or not positive"),
    VOLUME(true, "volume or trade count is negative or not finite"),
    GAP(false, "run of missing bars longer than the tolerance"),
    COVERAGE(false, "share of the expected bars present is below the threshold"),
    SUSPECTED_SPLIT(false, "overnight jump beyond the threshold with no corporate action to explain it");

    private final boolean rowRule;
    private final String meaning;

    Rule(boolean rowRule, String meaning) {
        this.rowRule = rowRule;
        this.meaning = meaning;
    }

    public boolean isRowRule() {
        return rowRule;
    }

    public String meaning() {
        return meaning;
    }

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
