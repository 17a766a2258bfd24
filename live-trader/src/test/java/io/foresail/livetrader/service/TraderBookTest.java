package io.foresail.livetrader.service;

import io.foresail.core.market.Bar;
import io.foresail.livetrader.state.TraderState;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.broker.Order;
import io.foresail.trading.broker.OrderStatus;
import io.foresail.trading.broker.OrderType;
import io.foresail.trading.broker.Side;
import io.foresail.trading.broker.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The trader's own book, over a real state file: fills move shares and cash once per execution,
 * an order is unsettled until its reported fills have all arrived, a late report never reopens an
 * ended order, the cash is set from the broker's only while the book is quiet, and a restarted book
 * counts the fills recorded before it.
 */
class TraderBookTest {
    private static final Instant T0 = Instant.parse("2024-03-06T15:00:00Z");

    @TempDir
    Path dir;

    private static Order order(String id, String symbol, Side side, double qty, double filled, OrderStatus status) {
        return new Order("order-" + id, id, symbol, side, qty, filled, filled > 0 ? 100.0 : Double.NaN, OrderType.MARKET,
                Double.NaN, Double.NaN, TimeInForce.DAY, status, T0, T0);
    }

    private static Fill fill(String execution, String orderId, String symbol, Side side, double qty, double price, double fees) {
        return new Fill(execution, "order-" + orderId, orderId, symbol, side, qty, price, fees, T0);
    }

    private static Map<String, Bar> closes(String symbol, double close) {
        return Map.of(symbol, new Bar(symbol, T0, close, close, close, close, 1_000, close, 10));
    }

    @Test
    void fillsMoveSharesAndCashOncePerExecutionAndEquityCountsTheMarks() throws Exception {
        try (TraderState state = TraderState.open(dir.resolve("trader.db"))) {
            TraderBook book = new TraderBook(state);
            long before = book.reports();
            assertThat(book.rebaseCash(100_000, before)).hasValue(Double.NaN); // not known before: NaN change
            book.order(order("a", "AAA", Side.BUY, 10, 0, OrderStatus.NEW));
            assertThat(book.view().open()).extracting(Order::clientOrderId).containsExactly("a");

            assertThat(book.recordFill(fill("x1", "a", "AAA", Side.BUY, 4, 50.0, 0.25))).isTrue();
            assertThat(book.recordFill(fill("x1", "a", "AAA", Side.BUY, 4, 50.0, 0.25))).as("the same execution again").isFalse();
            book.order(order("a", "AAA", Side.BUY, 10, 4, OrderStatus.PARTIALLY_FILLED));
            assertThat(book.recordFill(fill("x2", "a", "AAA", Side.BUY, 6, 51.0, 0.0))).isTrue();
            book.order(order("a", "AAA", Side.BUY, 10, 10, OrderStatus.FILLED));
            book.recordFill(fill("y1", "b", "BBB", Side.SELL, 5, 20.0, 0.10));
            book.order(order("b", "BBB", Side.SELL, 5, 5, OrderStatus.FILLED));

            book.mark(closes("AAA", 52.0));
            TraderBook.View v = book.view();
            assertThat(v.positions()).isEqualTo(Map.of("AAA", 10.0, "BBB", -5.0));
            double cash = 100_000 - 4 * 50.0 - 0.25 - 6 * 51.0 + 5 * 20.0 - 0.10;
            assertThat(v.cash()).isCloseTo(cash, within(1e-9));
            // BBB has no bar yet: counted at its fill price until one comes.
            assertThat(v.equity()).isCloseTo(cash + 10 * 52.0 - 5 * 20.0, within(1e-9));
            assertThat(v.open()).isEmpty();
            assertThat(v.unsettled()).isEmpty();
        }
    }

    @Test
    void anOrderReportedFilledIsUnsettledUntilItsFillsArriveAndALateReportNeverReopensIt() throws Exception {
        try (TraderState state = TraderState.open(dir.resolve("trader.db"))) {
            TraderBook book = new TraderBook(state);
            // A cancel's answer: 6 of 10 filled, though only 2 shares of fills have come over the stream.
            book.order(order("a", "AAA", Side.BUY, 10, 2, OrderStatus.PARTIALLY_FILLED));
            book.recordFill(fill("x1", "a", "AAA", Side.BUY, 2, 50.0, 0));
            book.order(order("a", "AAA", Side.BUY, 10, 6, OrderStatus.CANCELED));
            assertThat(book.view().open()).as("ended: nothing to cancel").isEmpty();
            assertThat(book.view().unsettled()).containsExactly("AAA");
            assertThat(book.awaitSettled(Duration.ofMillis(50))).as("a fill still missing").containsExactly("AAA");

            CompletableFuture<Set<String>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return book.awaitSettled(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50);
            assertThat(waiting).isNotDone();
            book.recordFill(fill("x2", "a", "AAA", Side.BUY, 4, 50.0, 0));
            assertThat(waiting.get(5, TimeUnit.SECONDS)).as("settled once the fill came").isEmpty();
            assertThat(book.view().positions()).isEqualTo(Map.of("AAA", 6.0));

            // The stream's older report, arriving last: the order stays ended and the symbol settled.
            book.order(order("a", "AAA", Side.BUY, 10, 2, OrderStatus.PARTIALLY_FILLED));
            assertThat(book.view().open()).isEmpty();
            assertThat(book.view().unsettled()).isEmpty();
        }
    }

    @Test
    void anOrderWhoseSubmissionWentUnansweredHoldsItsSymbolUntilFoundOrKnownNeverPlaced() throws Exception {
        try (TraderState state = TraderState.open(dir.resolve("trader.db"))) {
            TraderBook book = new TraderBook(state);
            book.expect("a", "AAA");
            book.expect("b", "BBB");
            TraderBook.View v = book.view();
            assertThat(v.unanswered()).containsExactly("a", "b");
            assertThat(v.unsettled()).containsExactly("AAA", "BBB");
            assertThat(v.open()).as("nothing known to cancel").isEmpty();

            book.order(order("a", "AAA", Side.BUY, 10, 0, OrderStatus.NEW)); // it did reach the broker
            book.forget("b");                                                 // this one never did
            v = book.view();
            assertThat(v.unanswered()).isEmpty();
            assertThat(v.open()).extracting(Order::clientOrderId).containsExactly("a");
            assertThat(v.unsettled()).containsExactly("AAA");
            book.forget("a");
            assertThat(book.view().unsettled()).as("an order with a report is not forgotten").containsExactly("AAA");
        }
    }

    @Test
    void theCashIsTheBrokersOnlyWhenReadWhileTheBookWasQuiet() throws Exception {
        try (TraderState state = TraderState.open(dir.resolve("trader.db"))) {
            TraderBook book = new TraderBook(state);
            book.order(order("a", "AAA", Side.BUY, 10, 0, OrderStatus.NEW));
            assertThat(book.rebaseCash(100_000, book.reports())).as("an order open").isEmpty();
            assertThat(book.view().cashKnown()).isFalse();

            long before = book.reports();
            book.recordFill(fill("x1", "a", "AAA", Side.BUY, 10, 50.0, 0));
            book.order(order("a", "AAA", Side.BUY, 10, 10, OrderStatus.FILLED));
            assertThat(book.rebaseCash(99_500, before)).as("a fill came during the read").isEmpty();

            assertThat(book.rebaseCash(99_500, book.reports())).hasValue(Double.NaN);
            // A borrow fee the fills never carried: the next quiet read finds it and says how much.
            OptionalDouble change = book.rebaseCash(99_499.25, book.reports());
            assertThat(change.getAsDouble()).isCloseTo(-0.75, within(1e-9));
            assertThat(book.view().cash()).isEqualTo(99_499.25);
        }
    }

    @Test
    void aRestartedBookCountsTheFillsRecordedBeforeIt() throws Exception {
        Path file = dir.resolve("trader.db");
        try (TraderState state = TraderState.open(file)) {
            state.recordFill(fill("x1", "a", "AAA", Side.BUY, 3, 50.0, 0));
            state.recordFill(fill("x2", "a", "AAA", Side.BUY, 7, 50.0, 0));
        }
        try (TraderState state = TraderState.open(file)) {
            TraderBook book = new TraderBook(state);
            assertThat(book.view().positions()).isEqualTo(Map.of("AAA", 10.0));
            // The order's report after the restart: its fills are all recorded, so it is settled at once.
            book.order(order("a", "AAA", Side.BUY, 10, 10, OrderStatus.FILLED));
            assertThat(book.view().unsettled()).isEmpty();
            // A difference the operator adopted on a resume: the book holds it; the fills' positions stay the fills'.
            book.adopt(Map.of("AAA", -2.0, "ZZZ", 5.0));
            assertThat(book.view().positions()).isEqualTo(Map.of("AAA", 8.0, "ZZZ", 5.0));
            assertThat(book.unpriced()).as("no bar, fill or entry price for either yet").containsExactly("AAA", "ZZZ");
            book.markIfUnknown("ZZZ", 12.5);
            assertThat(book.unpriced()).containsExactly("AAA");
            assertThat(state.positionsFromFills()).as("the fills stay the fills'").isEqualTo(Map.of("AAA", 10.0));
            assertThat(TraderBook.differences("fills", Map.of("AAA", 10.0, "ZZZ", 0.0), "broker", Map.of("AAA", 10.0, "QQQ", 1.0)))
                    .isEqualTo(Map.of("QQQ", "fills 0.0, broker 1.0"));
        }
    }
}
