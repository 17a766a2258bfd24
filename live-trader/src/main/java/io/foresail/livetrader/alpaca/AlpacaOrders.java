package io.foresail.livetrader.alpaca;

import io.foresail.alpaca.wire.AlpacaOrder;
import io.foresail.alpaca.wire.AlpacaOrderType;
import io.foresail.alpaca.wire.AlpacaSide;
import io.foresail.alpaca.wire.AlpacaTimeInForce;
import io.foresail.alpaca.wire.CreateOrder;
import io.foresail.trading.broker.Order;
import io.foresail.trading.broker.OrderRequest;
import io.foresail.trading.broker.OrderStatus;
import io.foresail.trading.broker.OrderType;
import io.foresail.trading.broker.Side;
import io.foresail.trading.broker.TimeInForce;

import java.math.BigDecimal;
import java.time.Instant;

/** Translation between the trading port's orders and Alpaca's. */
final class AlpacaOrders {
    private AlpacaOrders() {
    }

    static CreateOrder create(OrderRequest r) {
        return new CreateOrder(r.symbol(), decimal(r.quantity()), null, r.side() == Side.BUY ? AlpacaSide.BUY : AlpacaSide.SELL,
                AlpacaOrderType.valueOf(r.type().name()), AlpacaTimeInForce.valueOf(r.timeInForce().name()),
                Double.isNaN(r.limitPrice()) ? null : decimal(r.limitPrice()),
                Double.isNaN(r.stopPrice()) ? null : decimal(r.stopPrice()), null, null, null, r.clientOrderId(), null, null,
                null, null, null, null);
    }

    /**
     * The port's view of an Alpaca order. Alpaca's waiting states (accepted, pending_new, held,
     * ...) are {@code NEW}, or {@code PARTIALLY_FILLED} once something filled; done_for_day is
     * {@code EXPIRED}; suspended is {@code REJECTED}.
     */
    static Order order(AlpacaOrder o) {
        double qty = o.qty() != null ? o.qty().doubleValue() : 0;
        double filled = o.filledQty() == null ? 0 : o.filledQty().doubleValue();
        OrderStatus status = switch (o.status()) {
            case FILLED -> OrderStatus.FILLED;
            case CANCELED -> OrderStatus.CANCELED;
            case EXPIRED, DONE_FOR_DAY -> OrderStatus.EXPIRED;
            case REPLACED -> OrderStatus.REPLACED;
            case REJECTED, SUSPENDED -> OrderStatus.REJECTED;
            default -> filled > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW;
        };
        OrderType type = OrderType.valueOf((o.type() != null ? o.type() : o.orderType()).name());
        Instant updated = o.updatedAt() != null ? o.updatedAt() : o.submittedAt();
        return new Order(o.id(), o.clientOrderId(), o.symbol(), o.side() == AlpacaSide.BUY ? Side.BUY : Side.SELL, qty, filled,
                o.filledAvgPrice() == null ? Double.NaN : o.filledAvgPrice().doubleValue(), type,
                o.limitPrice() == null ? Double.NaN : o.limitPrice().doubleValue(),
                o.stopPrice() == null ? Double.NaN : o.stopPrice().doubleValue(), TimeInForce.valueOf(o.timeInForce().name()),
                status, o.submittedAt(), updated);
    }

    static BigDecimal decimal(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros();
    }
}
