package io.foresail.trading.broker;

/** An order's direction. A sell may open or add to a short where the broker allows it. */
public enum Side {
    BUY, SELL;

    /** +1 for a buy, -1 for a sell: the sign of the position change. */
    public int sign() {
        return this == BUY ? 1 : -1;
    }

    public static Side of(double signedQuantity) {
        return signedQuantity >= 0 ? BUY : SELL;
    }
}
