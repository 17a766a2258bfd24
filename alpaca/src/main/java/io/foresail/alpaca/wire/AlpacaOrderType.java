package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonValue;

/** An order's type, as Alpaca spells it. */
public enum AlpacaOrderType {
    MARKET("market"), LIMIT("limit"), STOP("stop"), STOP_LIMIT("stop_limit"), TRAILING_STOP("trailing_stop");

    private final String wire;

    AlpacaOrderType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
