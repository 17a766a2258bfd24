package io.foresail.trading.broker;

/**
 * How long an order lives, Alpaca's choices. {@code DAY} expires at the close of the session it
 * trades in (Alpaca requires it of fractional and notional orders); {@code GTC} lives until filled
 * or cancelled; {@code OPG} trades only in the session's opening bar (the opening auction) and
 * {@code CLS} only at its closing price (the closing auction), each cancelled if not filled there;
 * {@code IOC} takes what its first bar offers and cancels the rest; {@code FOK} fills entirely in
 * its first bar or not at all.
 */
public enum TimeInForce {
    DAY, GTC, OPG, CLS, IOC, FOK
}
