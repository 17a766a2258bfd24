package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonValue;

/** An order's side, as Alpaca spells it. */
public enum AlpacaSide {
    BUY("buy"), SELL("sell");

    private final String wire;

    AlpacaSide(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
