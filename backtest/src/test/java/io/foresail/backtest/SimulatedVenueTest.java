package io.foresail.backtest;

import io.foresail.backtest.tape.BarTape;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.backtest.venue.SimulatedVenue;
import io.foresail.core.market.ReplayClock;
import io.foresail.trading.broker.BrokerException;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.broker.Order;
import io.foresail.trading.broker.OrderRequest;
import io.foresail.trading.broker.OrderStatus;
import io.foresail.trading.broker.OrderType;
import io.foresail.trading.broker.OrderUpdate;
import io.foresail.trading.broker.Side;
import io.foresail.trading.broker.TimeInForce;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SimulatedVenueTest {

    /** One name, four bars: open/high/low/close/volume/vwap chosen by hand. */
    private static BarTape tape() {
        int first = TestTapes.GRID.indexOf(Instant.parse("2024-03-04T20:30:00Z")); // 15:30 New York: two bars left
        long[] starts = new long[4];
        for (int t = 0; t < 4; t++) {
            starts[t] = TestTapes.GRID.startEpochSecond(first + t);
        }
        return new BarTape(List.of("AAA"), starts,
                new double[][] {{100, 101, 102, 103}}, new double[][] {{101, 102, 104, 104}},
                new double[][] {{99, 100, 101, 102}}, new double[][] {{100.5, 101.5, 103, 103.5}},
                new double[][] {{1000, 1000, 400, 1000}}, new double[][] {{100.2, 101.2, 102.5, 103.1}}, "SPY",
                new double[] {1, 1, 1, 1});
    }

    private static ExecutionConfig costs(double halfSpread, double slippage, double impact, double cap, String remainder) {
        return new ExecutionConfig("next_open", 10_000.0, new ExecutionConfig.Commission(0.01, 1.0, 0.0), halfSpread,
                slippage, impact, cap, remainder, new ExecutionConfig.Shorting(true, 252.0), null);
    }

    @Test
    void aMarketOrderFillsAtTheNextOpenWithEveryCostAgainstIt() {
        BarTape tape = tape();
        SimulatedVenue v = new SimulatedVenue(tape.symbols(), costs(2, 1, 10, 1.0, "carry"), new ReplayClock(tape.start(0)));
        List<Fill> fills = new ArrayList<>();
        v.onUpdate(u -> {
            if (u.fill() != null) {
                fills.add(u.fill());
            }
        });
        v.trade(tape.crossSection(0, false));
        v.submit(OrderRequest.market("t-1", "AAA", Side.BUY, 100));
        assertThat(fills).isEmpty();
        v.trade(tape.crossSection(1, false));
        // Bar 1 opens at 101: 2 + 1 bps, and impact 10 bps * sqrt(100 / 1000).
        double price = 101 * (1 + 3e-4 + 10e-4 * Math.sqrt(0.1));
        assertThat(fills).singleElement().satisfies(f -> {
            assertThat(f.price()).isCloseTo(price, within(1e-12));
            assertThat(f.quantity()).isEqualTo(100);
            assertThat(f.fees()).isEqualTo(1.0); // 100 * $0.01 = $1, the minimum
        });
        assertThat(v.cash()).isCloseTo(10_000 - 100 * price - 1.0, within(1e-9));
        assertThat(v.equity()).isCloseTo(v.cash() + 100 * 101.5, within(1e-9));
        assertThat(v.costs().spread() + v.costs().slippage() + v.costs().impact())
                .isCloseTo(100 * (price - 101), within(1e-9));
    }

    @Test
    void submittingTheSameClientOrderIdTwicePlacesOneOrder() {
        BarTape tape = tape();
        SimulatedVenue v = new SimulatedVenue(tape.symbols(), ExecutionConfig.defaults(), new ReplayClock(tape.start(0)));
        v.trade(tape.crossSection(0, false));
        Order a = v.submit(OrderRequest.market("same", "AAA", Side.BUY, 10));
        Order b = v.submit(OrderRequest.market("same", "AAA", Side.BUY, 10));
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(v.openOrders()).hasSize(1);
        v.trade(tape.crossSection(1, false));
        assertThat(v.submit(OrderRequest.market("same", "AAA", Side.BUY, 10)).status()).isEqualTo(OrderStatus.FILLED);
        assertThat(v.shares()[0]).isEqualTo(10);
    }

    @Test
    void theParticipationCapFillsInPartsAndADayOrderExpiresAtTheClose() {
        BarTape tape = tape();
        SimulatedVenue v = new SimulatedVenue(tape.symbols(), costs(0, 0, 0, 0.1, "carry"), new ReplayClock(tape.start(0)));
        List<OrderUpdate> updates = new ArrayList<>();
        v.onUpdate(updates::add);
        v.trade(tape.crossSection(0, false));
        v.submit(OrderRequest.market("big", "AAA", Side.BUY, 250));
        v.trade(tape.crossSection(1, true)); // 10 % of 1,000: 100 shares, then the session closes
        assertThat(v.shares()[0]).isEqualTo(100);
        assertThat(updates).extracting(OrderUpdate::kind).containsExactly(OrderUpdate.Kind.NEW,
                OrderUpdate.Kind.PARTIAL_FILL, OrderUpdate.Kind.EXPIRED);
        assertThat(v.openOrders()).isEmpty();
    }

    @Test
    void aCarriedRemainderKeepsFillingAndACancelledOneStops() {
        BarTape tape = tape();
        SimulatedVenue carry = new SimulatedVenue(tape.symbols(), costs(0, 0, 0, 0.1, "carry"), new ReplayClock(tape.start(0)));
        carry.trade(tape.crossSection(0, false));
        carry.submit(OrderRequest.market("big", "AAA", Side.BUY, 150));
        carry.trade(tape.crossSection(1, false));
        carry.trade(tape.crossSection(2, false)); // 10 % of 400: 40 more
        assertThat(carry.shares()[0]).isEqualTo(140);
        carry.trade(tape.crossSection(3, false));
        assertThat(carry.shares()[0]).isEqualTo(150);

        SimulatedVenue cancel = new SimulatedVenue(tape.symbols(), costs(0, 0, 0, 0.1, "cancel"), new ReplayClock(tape.start(0)));
        cancel.trade(tape.crossSection(0, false));
        cancel.submit(OrderRequest.market("big", "AAA", Side.BUY, 150));
        cancel.trade(tape.crossSection(1, false));
        cancel.trade(tape.crossSection(2, false));
        assertThat(cancel.shares()[0]).isEqualTo(100);
        assertThat(cancel.openOrders()).isEmpty();
    }

    @Test
    void aLimitOrderFillsOnlyWhenTouchedAndAtTheOpenIfAlreadyThrough() {
        BarTape tape = tape();
        SimulatedVenue v = new SimulatedVenue(tape.symbols(), costs(0, 0, 0, 1.0, "carry"), new ReplayClock(tape.start(0)));
        v.trade(tape.crossSection(0, false));
        v.submit(OrderRequest.limit("buy-low", "AAA", Side.BUY, 10, 99.5)); // bar 1 low is 100: no fill
        v.submit(OrderRequest.limit("sell-high", "AAA", Side.SELL, 5, 100.0)); // bar 1 opens at 101: fills at 101
        v.trade(tape.crossSection(1, false));
        assertThat(v.shares()[0]).isEqualTo(-5);
        assertThat(v.openOrders()).extracting(Order::clientOrderId).containsExactly("buy-low");
    }

    @Test
    void shortsAreRefusedWhenNotAllowedAndPayBorrowWhenTheyAre() {
        BarTape tape = tape();
        ExecutionConfig noShorts = new ExecutionConfig(null, null, null, 0.0, 0.0, 0.0, null, null,
                new ExecutionConfig.Shorting(false, null), null);
        SimulatedVenue v = new SimulatedVenue(tape.symbols(), noShorts, new ReplayClock(tape.start(0)));
        v.trade(tape.crossSection(0, false));
        assertThatThrownBy(() -> v.submit(OrderRequest.market("s", "AAA", Side.SELL, 1)))
                .isInstanceOf(BrokerException.class).hasMessageContaining("short selling is not allowed");

        SimulatedVenue shorts = new SimulatedVenue(tape.symbols(), costs(0, 0, 0, 1.0, "carry"), new ReplayClock(tape.start(0)));
        shorts.trade(tape.crossSection(0, false));
        shorts.submit(OrderRequest.market("s", "AAA", Side.SELL, 10));
        double before = shorts.cash();
        shorts.trade(tape.crossSection(1, true)); // sells 10 at 101, then the session's borrow: 252 bps a year = 1 bp a day
        assertThat(shorts.costs().borrow()).isCloseTo(10 * 101.5 * 1e-4, within(1e-12));
        assertThat(shorts.cash()).isCloseTo(before + 10 * 101 - 1.0 - 10 * 101.5 * 1e-4, within(1e-9));
    }

    /** A venue without costs (commission aside) on the hand-made tape, with its fills collected. */
    private static SimulatedVenue plain(BarTape tape, double cap, List<Fill> fills, ExecutionConfig.PartialFills partials) {
        ExecutionConfig c = new ExecutionConfig("next_open", 1_000_000.0, null, 0.0, 0.0, 0.0, cap, "carry",
                new ExecutionConfig.Shorting(true, 0.0), partials);
        SimulatedVenue v = new SimulatedVenue(tape.symbols(), c, new ReplayClock(tape.start(0)));
        v.onUpdate(u -> {
            if (u.fill() != null) {
                fills.add(u.fill());
            }
        });
        return v;
    }

    private static OrderRequest order(String id, Side side, double qty, OrderType type, double limit, double stop,
                                      TimeInForce tif) {
        return new OrderRequest(id, "AAA", side, qty, type, limit, stop, tif);
    }

    @Test
    void aStopOrderTriggersWhenTheBarTradesThroughItAndAGapFillsAtTheOpen() {
        BarTape tape = tape();
        List<Fill> fills = new ArrayList<>();
        SimulatedVenue v = plain(tape, 1.0, fills, null);
        v.trade(tape.crossSection(0, false));
        Order buyStop = v.submit(order("bs", Side.BUY, 10, OrderType.STOP, Double.NaN, 103, TimeInForce.GTC));
        Order sellStop = v.submit(order("ss", Side.SELL, 10, OrderType.STOP, Double.NaN, 101.5, TimeInForce.GTC));
        v.trade(tape.crossSection(1, true)); // high 102: the buy stop waits; opens at 101, already below 101.5
        assertThat(fills).singleElement().satisfies(f -> {
            assertThat(f.orderId()).isEqualTo(sellStop.id());
            assertThat(f.price()).isEqualTo(101.0);
        });
        v.trade(tape.crossSection(2, false)); // opens 102, trades up to 104: triggered at 103
        assertThat(fills).hasSize(2);
        assertThat(fills.get(1).orderId()).isEqualTo(buyStop.id());
        assertThat(fills.get(1).price()).isEqualTo(103.0);
    }

    @Test
    void aStopLimitOrderFillsOnlyWithinItsLimitOnceTriggered() {
        BarTape tape = tape();
        List<Fill> fills = new ArrayList<>();
        SimulatedVenue v = plain(tape, 1.0, fills, null);
        v.trade(tape.crossSection(0, false));
        v.submit(order("sl", Side.BUY, 10, OrderType.STOP_LIMIT, 101.5, 103, TimeInForce.GTC));
        v.trade(tape.crossSection(1, true));
        assertThat(fills).isEmpty(); // never reached 103
        v.trade(tape.crossSection(2, false)); // triggered at 103, above the limit; the bar's low 101 comes back to it
        assertThat(fills).singleElement().satisfies(f -> assertThat(f.price()).isEqualTo(101.5));
        assertThatThrownBy(() -> order("x", Side.BUY, 1, OrderType.STOP_LIMIT, 100, Double.NaN, TimeInForce.DAY))
                .hasMessageContaining("positive stop price");
        assertThatThrownBy(() -> order("x", Side.BUY, 1, OrderType.STOP, Double.NaN, 100, TimeInForce.OPG))
                .hasMessageContaining("takes market or limit orders");
    }

    @Test
    void immediateOrCancelTakesOneBarAndFillOrKillAllOrNothing() {
        BarTape tape = tape();
        List<Fill> fills = new ArrayList<>();
        SimulatedVenue v = plain(tape, 0.5, fills, null);
        v.trade(tape.crossSection(0, false));
        Order ioc = v.submit(order("ioc", Side.BUY, 600, OrderType.MARKET, Double.NaN, Double.NaN, TimeInForce.IOC));
        Order fokBig = v.submit(order("fok-big", Side.BUY, 600, OrderType.MARKET, Double.NaN, Double.NaN, TimeInForce.FOK));
        Order fokSmall = v.submit(order("fok-small", Side.BUY, 400, OrderType.MARKET, Double.NaN, Double.NaN,
                TimeInForce.FOK));
        v.trade(tape.crossSection(1, false)); // volume 1000, cap 50 %: 500 shares per order
        assertThat(v.order(ioc.id()).status()).isEqualTo(OrderStatus.CANCELED);
        assertThat(v.order(ioc.id()).filledQuantity()).isEqualTo(500);
        assertThat(v.order(fokBig.id()).status()).isEqualTo(OrderStatus.CANCELED);
        assertThat(v.order(fokBig.id()).filledQuantity()).isZero();
        assertThat(v.order(fokSmall.id()).status()).isEqualTo(OrderStatus.FILLED);
        assertThat(fills).extracting(Fill::quantity).containsExactly(500.0, 400.0);
        assertThat(v.openOrders()).isEmpty();
    }

    @Test
    void auctionOrdersTradeOnlyAtTheOpeningOrClosingPriceOfTheSession() {
        BarTape tape = tape();
        List<Fill> fills = new ArrayList<>();
        SimulatedVenue v = plain(tape, 0.1, fills, null);
        v.trade(tape.crossSection(0, false));
        Order opg = v.submit(order("opg", Side.BUY, 500, OrderType.MARKET, Double.NaN, Double.NaN, TimeInForce.OPG));
        Order cls = v.submit(order("cls", Side.BUY, 300, OrderType.LIMIT, 102, Double.NaN, TimeInForce.CLS));
        Order clsMissed = v.submit(order("cls-low", Side.BUY, 300, OrderType.LIMIT, 101, Double.NaN, TimeInForce.CLS));
        v.trade(tape.crossSection(1, true)); // the session's last bar: closes at 101.5
        assertThat(v.order(cls.id()).status()).isEqualTo(OrderStatus.FILLED);
        assertThat(v.order(clsMissed.id()).status()).isEqualTo(OrderStatus.CANCELED); // 101.5 above its limit
        assertThat(v.order(opg.id()).status()).isEqualTo(OrderStatus.NEW);
        v.trade(tape.crossSection(2, false)); // the next session's opening bar: 102, the whole order (no cap)
        assertThat(v.order(opg.id()).status()).isEqualTo(OrderStatus.FILLED);
        assertThat(fills).extracting(Fill::price).containsExactly(101.5, 102.0);
        assertThat(fills).extracting(Fill::quantity).containsExactly(300.0, 500.0);
    }

    @Test
    void aHaltedSymbolDoesNotTradeUntilResumed() {
        BarTape tape = tape();
        List<Fill> fills = new ArrayList<>();
        SimulatedVenue v = plain(tape, 1.0, fills, null);
        v.trade(tape.crossSection(0, false));
        v.submit(OrderRequest.market("h", "AAA", Side.BUY, 10)
                .withTimeInForce(TimeInForce.GTC));
        v.halt("AAA", true);
        v.trade(tape.crossSection(1, true));
        assertThat(fills).isEmpty();
        v.halt("AAA", false);
        v.trade(tape.crossSection(2, false));
        assertThat(fills).singleElement().satisfies(f -> assertThat(f.price()).isEqualTo(102.0));
    }

    @Test
    void seededRandomPartialFillsSplitAnOrderTheSameWayEveryTime() {
        BarTape tape = tape();
        List<List<Fill>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<Fill> fills = new ArrayList<>();
            SimulatedVenue v = plain(tape, 1.0, fills, new ExecutionConfig.PartialFills(1.0, 7L));
            v.trade(tape.crossSection(0, false));
            v.submit(order("p", Side.BUY, 100, OrderType.MARKET, Double.NaN, Double.NaN, TimeInForce.GTC));
            for (int t = 1; t < 4; t++) {
                v.trade(tape.crossSection(t, t == 1));
            }
            runs.add(fills);
        }
        assertThat(runs.get(0)).hasSizeGreaterThan(1);
        assertThat(runs.get(0)).allSatisfy(f -> assertThat(f.quantity()).isLessThan(100).isEqualTo(Math.rint(f.quantity())));
        assertThat(runs.get(0)).extracting(Fill::quantity).isEqualTo(runs.get(1).stream().map(Fill::quantity).toList());
    }
}
