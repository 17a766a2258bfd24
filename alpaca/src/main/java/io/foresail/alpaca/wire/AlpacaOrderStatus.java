package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonValue;

/** Every order status Alpaca reports, as it spells them. */
public enum AlpacaOrderStatus {
    NEW("new"), PARTIALLY_FILLED("partially_filled"), FILLED("filled"), DONE_FOR_DAY("done_for_day"),
    CANCELED("canceled"), EXPIRED("expired"), REPLACED("replaced"), PENDING_CANCEL("pending_cancel"),
    PENDING_REPLACE("pending_replace"), ACCEPTED("accepted"), PENDING_NEW("pending_new"),
    ACCEPTED_FOR_BIDDING("accepted_for_bidding"), STOPPED("stopped"), REJECTED("rejected"), SUSPENDED("suspended"),
    CALCULATED("calculated"), HELD("held");

    private final String wire;

    AlpacaOrderStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Whether an order in this status may still fill (what {@code status=open} lists). */
    public boolean isOpen() {
        return switch (this) {
            case NEW, PARTIALLY_FILLED, ACCEPTED, PENDING_NEW, PENDING_CANCEL, PENDING_REPLACE, ACCEPTED_FOR_BIDDING,
                 HELD, CALCULATED, STOPPED -> true;
            default -> false;
        };
    }
}
