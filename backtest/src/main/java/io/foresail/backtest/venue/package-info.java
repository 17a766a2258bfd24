/**
 * The simulated venue behind the {@code Broker} port ({@code SimulatedVenue}): next-bar fills,
 * costs, participation caps, partial fills, expiry and borrow, configured by {@code ExecutionConfig}.
 */
package io.foresail.backtest.venue;
