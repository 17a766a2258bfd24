package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonValue;

/** How long an order lives, as Alpaca spells it. */
public enum AlpacaTimeInForce {
    DAY("day"), GTC("gtc"), OPG("opg"), CLS("cls"), IOC("ioc"), FOK("fok");

    private final String wire;

    AlpacaTimeInForce(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
