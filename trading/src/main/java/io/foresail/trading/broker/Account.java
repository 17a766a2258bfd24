package io.foresail.trading.broker;

/**
 * The account's money in dollars: {@code cash} (negative when borrowing), {@code equity} (cash plus
 * positions at the latest prices), and whether the venue blocks trading.
 */
public record Account(double cash, double equity, double buyingPower, boolean tradingBlocked) {
}
