package io.foresail.livetrader.state;

import io.foresail.core.testing.ChildJvm;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.broker.Order;
import io.foresail.trading.broker.OrderStatus;
import io.foresail.trading.broker.OrderType;
import io.foresail.trading.broker.Side;
import io.foresail.trading.broker.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TraderStateTest {
    private static final Instant T0 = Instant.parse("2024-03-04T14:45:00Z");

    @TempDir
    Path dir;

    static Fill fill(String id, String symbol, Side side, double qty, Instant at) {
        return new Fill(id, "order-" + id, "coid-" + id, symbol, side, qty, 100.0, 0.0, at);
    }

    @Test
    void theSchemaIsCreatedOnceInWalModeAndAReopenMigratesNothingTwice() {
        Path file = dir.resolve("state").resolve("trader.db");
        try (TraderState s = TraderState.open(file)) {
            assertThat(s.schemaVersion()).isEqualTo(TraderState.MIGRATIONS.size());
            assertThat(s.journalMode()).isEqualToIgnoringCase("wal");
            s.recordFill(fill("e1", "AAA", Side.BUY, 5, T0));
        }
        try (TraderState s = TraderState.open(file)) {
            assertThat(s.schemaVersion()).isEqualTo(TraderState.MIGRATIONS.size());
            assertThat(s.count("schema_version")).isEqualTo(TraderState.MIGRATIONS.size());
            assertThat(s.count("fills")).isEqualTo(1);
        }
    }

    @Test
    void theLogIsCopiedIntoTheDatabaseOnlyWhenAskedAndStartsAgainAfterwards() throws Exception {
        Path file = dir.resolve("t.db");
        Path wal = dir.resolve("t.db-wal");
        String payload = "x".repeat(64 * 1024);
        try (TraderState s = TraderState.open(file)) {
            for (int i = 0; i < 100; i++) { // ~6.5 MB: past the 1,000 pages at which SQLite would checkpoint itself
                s.recordDecision(T0.plusSeconds(900L * i), "m/1", "{\"pad\":\"" + payload + "\"}");
            }
            long grown = java.nio.file.Files.size(wal);
            assertThat(grown).as("no checkpoint on a commit: the log holds every write").isGreaterThan(6_000_000L);

            // A checkpoint while another thread writes: one waits for the other, nothing is lost.
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    s.recordFill(fill("w" + i, "AAA", Side.BUY, 1, T0.plusSeconds(i)));
                }
            });
            writer.start();
            TraderState.LogCheckpoint first = s.checkpoint();
            writer.join();
            assertThat(first.frames()).as("frames in the log").isGreaterThan(1_000L);
            TraderState.LogCheckpoint again = s.checkpoint();
            assertThat(again.copied()).as("every frame copied once the writer is done").isEqualTo(again.frames());
            long largest = java.nio.file.Files.size(wal);

            s.recordFill(fill("after", "AAA", Side.BUY, 1, T0));
            TraderState.LogCheckpoint after = s.checkpoint();
            assertThat(after.frames()).as("the log was written again from its start: it holds only the last write")
                    .isLessThan(10L);
            assertThat(java.nio.file.Files.size(wal)).as("and its file did not grow").isEqualTo(largest);
        }
        try (TraderState s = TraderState.open(file)) {
            assertThat(s.count("decisions")).isEqualTo(100);
            assertThat(s.count("fills")).isEqualTo(201);
        }
    }

    @Test
    void fillsAreRecordedOncePerExecutionAndAddUpToPositions() {
        try (TraderState s = TraderState.open(dir.resolve("t.db"))) {
            assertThat(s.lastFillAt()).isEmpty();
            assertThat(s.recordFill(fill("e1", "AAA", Side.BUY, 10, T0))).isTrue();
            assertThat(s.recordFill(fill("e1", "AAA", Side.BUY, 10, T0))).as("a repeated execution").isFalse();
            assertThat(s.recordFill(fill("e2", "AAA", Side.SELL, 4, T0.plusSeconds(60)))).isTrue();
            assertThat(s.recordFill(fill("e3", "BBB", Side.SELL, 3, T0.plusSeconds(30)))).isTrue();
            assertThat(s.recordFill(fill("e4", "CCC", Side.BUY, 2, T0))).isTrue();
            assertThat(s.recordFill(fill("e5", "CCC", Side.SELL, 2, T0))).isTrue();
            assertThat(s.positionsFromFills()).isEqualTo(Map.of("AAA", 6.0, "BBB", -3.0));
            assertThat(s.lastFillAt()).contains(T0.plusSeconds(60));
            assertThat(s.fills()).extracting(Fill::executionId).containsExactly("e1", "e4", "e5", "e3", "e2");
        }
    }

    @Test
    void ordersKeepTheirLatestStateAndEveryChangeAndTheKillSwitchSurvivesARestart() throws Exception {
        Path file = dir.resolve("t.db");
        Order o = new Order("id-1", "s-20240304T1445Z-AAA-0o", "AAA", Side.BUY, 10, 0, Double.NaN, OrderType.MARKET,
                Double.NaN, Double.NaN, TimeInForce.DAY, OrderStatus.NEW, T0, T0);
        try (TraderState s = TraderState.open(file)) {
            s.recordOrder(o, "model/3");
            s.recordOrder(o.with(OrderStatus.PARTIALLY_FILLED, 4, 100.5, T0.plusSeconds(60)), null);
            s.recordOrder(o.with(OrderStatus.FILLED, 10, 100.7, T0.plusSeconds(120)), null);
            // The submission's acknowledgement, written after the fills it preceded, changes nothing.
            s.recordOrders(java.util.List.of(o), "model/3");
            s.recordOrder(o.with(OrderStatus.PARTIALLY_FILLED, 4, 100.5, T0.plusSeconds(60)), null);
            s.recordKillSwitch(new TraderState.KillSwitchEvent(T0, "HALT", "operator", "test"));
            s.recordKillSwitch(new TraderState.KillSwitchEvent(T0.plusSeconds(5), "FLATTEN", "daily loss limit", "-2.1 %"));
            s.recordModelVersion(T0, "foresail-quickstart", "3");
            s.recordDecision(T0, "foresail-quickstart/3", "{\"orders\":1}");
        }
        try (TraderState s = TraderState.open(file)) {
            assertThat(s.count("orders")).isEqualTo(1);
            assertThat(s.count("order_events")).as("every report appended").isEqualTo(5);
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                 java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet r = st.executeQuery("SELECT status, filled_quantity, average_fill_price, model_version, "
                         + "updated_at FROM orders")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).as("no state goes backwards").isEqualTo("FILLED");
                assertThat(r.getDouble(2)).isEqualTo(10.0);
                assertThat(r.getDouble(3)).isEqualTo(100.7);
                assertThat(r.getString(4)).isEqualTo("model/3");
                assertThat(r.getString(5)).isEqualTo(T0.plusSeconds(120).toString());
            }
            assertThat(s.killSwitch()).hasValueSatisfying(k -> {
                assertThat(k.state()).isEqualTo("FLATTEN");
                assertThat(k.who()).isEqualTo("daily loss limit");
            });
            assertThat(s.count("decisions")).isEqualTo(1);
        }
    }

    @Test
    void decidedOrdersWithoutAnAcknowledgementAreListedForTheNextStart() {
        try (TraderState s = TraderState.open(dir.resolve("i.db"))) {
            s.recordDecision(T0, "m/1", "{}", java.util.List.of("s-a", "s-b", "s-c"), java.util.Map.of("AAA", 5.0),
                    java.util.List.of());
            s.recordOrder(new Order("id-a", "s-a", "AAA", Side.BUY, 1, 0, Double.NaN, OrderType.MARKET, Double.NaN, Double.NaN,
                    TimeInForce.DAY, OrderStatus.NEW, T0, T0), null);
            // Refused by the broker: never placed, so a start need not ask for it; the reason is kept.
            s.recordUnsent("s-c", T0, "refused: insufficient buying power");
            s.recordUnsent("s-c", T0, "recorded once");
            assertThat(s.intentsWithoutOrder(T0.minusSeconds(86_400))).containsExactly(java.util.Map.entry("s-b", "m/1"));
            assertThat(s.intentsWithoutOrder(T0.plusSeconds(1))).as("only recent bars").isEmpty();
            assertThat(s.count("positions")).isEqualTo(1);
            assertThat(s.count("unsent")).isEqualTo(1);
        }
    }

    /** The child: records fills as fast as it can, printing each id once its commit returned. */
    public static final class Writer {
        public static void main(String[] args) {
            try (TraderState s = TraderState.open(Path.of(args[0]))) {
                for (int i = 0; ; i++) {
                    s.recordFill(fill("x" + i, i % 2 == 0 ? "AAA" : "BBB", Side.BUY, 1, T0.plusSeconds(i)));
                    System.out.println("committed x" + i);
                    if (i % 10 == 0) { // a decision, committed and never forced to disk: the trader's death must not lose it
                        s.recordDecision(T0.plusSeconds(900L * i), "m/1", "{}", List.of("d" + i), Map.of(), List.of());
                        System.out.println("decided d" + i);
                    }
                    System.out.flush();
                }
            }
        }
    }

    @Test
    void aWriterKilledWithSigkillLosesNothingItAcknowledgedAndAReaderNeverWaits() throws Exception {
        Path file = dir.resolve("t.db");
        TraderState.open(file).close();
        try (ChildJvm child = ChildJvm.start(Writer.class, dir.resolve("writer.log"), Map.of(), file.toString());
             TraderState reader = TraderState.open(file)) {
            for (int i = 0; i < 600 && child.output().split("\n").length < 300; i++) {
                Thread.sleep(50);
                reader.count("fills"); // reading while the writer writes: WAL, no lock wait
            }
            child.close(); // SIGKILL mid-write
            child.await(30, TimeUnit.SECONDS);
        }
        List<String> acknowledged = child(dir.resolve("writer.log"));
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);
        try (TraderState s = TraderState.open(file)) {
            List<String> stored = s.fills().stream().map(Fill::executionId).toList();
            assertThat(stored).containsAll(acknowledged);
            assertThat(stored.size()).isBetween(acknowledged.size(), acknowledged.size() + 1);
            List<String> decided = child(dir.resolve("writer.log"), "decided ");
            assertThat(decided).hasSizeGreaterThanOrEqualTo(30);
            assertThat(s.intentsWithoutOrder(T0).keySet()).containsAll(decided);
        }
    }

    @Test
    void forcingTheLogToDiskWaitsForNoOneHoldingTheState() throws Exception {
        Path file = dir.resolve("f.db");
        try (TraderState s = TraderState.open(file)) {
            s.recordDecision(T0, "m/1", "{}", List.of("a"), Map.of("AAA", 1.0), List.of());
            assertThat(dir.resolve("f.db-wal")).exists();
            // A thread holding the state (a long write, a checkpoint) does not hold up the flush.
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Thread holder = new Thread(() -> {
                synchronized (s) {
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            holder.start();
            held.await();
            java.util.concurrent.CompletableFuture<Void> flush = java.util.concurrent.CompletableFuture.runAsync(s::forceToDisk);
            try {
                flush.get(10, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                holder.join();
            }
        }
        try (TraderState s = TraderState.open(file)) {
            assertThat(s.intentsWithoutOrder(T0)).containsKey("a");
        }
    }

    private static List<String> child(Path log) throws java.io.IOException {
        return child(log, "committed ");
    }

    private static List<String> child(Path log, String prefix) throws java.io.IOException {
        return java.nio.file.Files.readAllLines(log).stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).toList();
    }
}
