/**
 * The {@code Broker} port and its values: order requests, orders, fills, positions, the account and
 * order updates. Prices and quantities are doubles here; the venue adapters convert to and from the
 * venue's decimals.
 */
package io.foresail.trading.broker;
