package io.foresail.trading.broker;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where orders go: Alpaca in the live trader, a simulated venue in the backtest and the simulator.
 * The decision path sees only this port, so both run the same code.
 *
 * <p>Contract: {@link #submit} is idempotent on the client order id (a second submit of an id the
 * broker has seen returns that order, it never places another); fills and status changes reach
 * the listeners given to {@link #onUpdate} in the order they happened, each fill once. Errors the
 * venue reports are thrown as {@link BrokerException} with the venue's reason; secrets never
 * appear in them.
 */
public interface Broker {

    Order submit(OrderRequest request);

    /** Cancels an open order; the order as it stands after the request (a filled order stays filled). */
    Order cancel(String orderId);

    /** Replaces an open order's quantity and limit price; the new order (with a new id). */
    Order replace(String orderId, double quantity, double limitPrice);

    List<Order> openOrders();

    List<Position> positions();

    Account account();

    /** Registers a listener for order updates, called on the broker's event thread. */
    void onUpdate(Consumer<OrderUpdate> listener);
}
