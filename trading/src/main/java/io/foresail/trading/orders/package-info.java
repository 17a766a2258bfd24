/**
 * Order planning: target weights minus holdings and open orders into {@code OrderIntent}s, each with
 * a deterministic {@code ClientOrderId}.
 */
package io.foresail.trading.orders;
