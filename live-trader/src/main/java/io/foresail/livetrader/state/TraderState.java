package io.foresail.livetrader.state;

import io.foresail.core.error.ForesailException;
import io.foresail.trading.broker.Fill;
import io.foresail.trading.broker.Order;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The live trader's state in one SQLite file (WAL, so a reader never blocks the writer). Every
 * write is committed before the call returns: it is in the operating system's hands, so a kill -9
 * (or any other death of the trader's process) loses nothing acknowledged. {@link #forceToDisk}
 * puts every commit so far on the disk, so that it survives the machine's crash too; the trader
 * calls it for each decision (before or while its orders travel: {@code decision_on_disk}), and
 * a {@link #checkpoint} syncs the log before it copies it. Order events and fills are not forced one by one,
 * since the broker holds them and a start recovers them (activities, client order ids). The schema is
 * created and migrated on open ({@link #MIGRATIONS}, applied in order, each once, recorded in
 * {@code schema_version}). What is an audit trail is append-only: decisions, order events, fills,
 * kill-switch events, model versions served. Orders also keep their latest state, for
 * reconciliation. Credentials are never stored. Thread-safe (one connection, synchronised); the
 * caller closes it.
 */
public final class TraderState implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TraderState.class);
    /** The schema, one step per entry; never edit an applied step, add one. */
    static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE decisions (bar_time TEXT NOT NULL, model_version TEXT NOT NULL, payload TEXT NOT NULL,
                                    recorded_at TEXT NOT NULL);
            CREATE TABLE orders (client_order_id TEXT PRIMARY KEY, order_id TEXT, symbol TEXT NOT NULL,
                                 side TEXT NOT NULL, quantity REAL NOT NULL, type TEXT NOT NULL, limit_price REAL,
                                 time_in_force TEXT NOT NULL, status TEXT NOT NULL, filled_quantity REAL NOT NULL,
                                 average_fill_price REAL, model_version TEXT, submitted_at TEXT, updated_at TEXT);
            CREATE TABLE order_events (client_order_id TEXT NOT NULL, status TEXT NOT NULL, filled_quantity REAL NOT NULL,
                                       at TEXT NOT NULL);
            CREATE TABLE fills (execution_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, client_order_id TEXT NOT NULL,
                                symbol TEXT NOT NULL, side TEXT NOT NULL, quantity REAL NOT NULL, price REAL NOT NULL,
                                fees REAL NOT NULL, at TEXT NOT NULL);
            CREATE INDEX fills_at ON fills (at);
            """,
            """
            CREATE TABLE kill_switch (at TEXT NOT NULL, state TEXT NOT NULL, who TEXT NOT NULL, why TEXT NOT NULL);
            CREATE TABLE model_versions (at TEXT NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL);
            CREATE TABLE equity (at TEXT NOT NULL, equity REAL NOT NULL, cash REAL NOT NULL);
            """,
            """
            CREATE TABLE intents (client_order_id TEXT PRIMARY KEY, bar_time TEXT NOT NULL, model_version TEXT NOT NULL);
            """,
            """
            CREATE TABLE positions (bar_time TEXT NOT NULL, symbol TEXT NOT NULL, quantity REAL NOT NULL);
            CREATE INDEX positions_bar ON positions (bar_time);
            CREATE TABLE risk_events (bar_time TEXT NOT NULL, rule TEXT NOT NULL, scope TEXT, reason TEXT NOT NULL,
                                      before REAL NOT NULL, after REAL NOT NULL);
            """,
            """
            CREATE TABLE unsent (client_order_id TEXT PRIMARY KEY, at TEXT NOT NULL, why TEXT NOT NULL);
            """,
            """
            CREATE INDEX fills_by_order ON fills (client_order_id);
            """);

    /** What a {@link #checkpoint} left: the frames in the write-ahead log, and how many of them are in the database. */
    public record LogCheckpoint(long frames, long copied) {
    }

    /** One equity record: when (UTC) and the account's equity in dollars. */
    public record EquityPoint(Instant at, double equity) {
    }

    /** A kill-switch event as recorded: when, the state it set (HALT, FLATTEN, OFF), who and why. */
    public record KillSwitchEvent(Instant at, String state, String who, String why) {
    }

    private final Connection db;
    private final Path file;
    private java.util.Map<String, Double> positions;

    private TraderState(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** Opens (creating and migrating as needed) the state at {@code file}. */
    public static TraderState open(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // No fsync in a commit (WAL: a commit is one append to the log); forceToDisk() when it must be.
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=10000");
                // SQLite would copy the log into the database on whichever commit passes 1,000 pages,
                // a decision's among them (about one bar in ten): the trader calls checkpoint() instead,
                // once each bar is done.
                s.execute("PRAGMA wal_autocheckpoint=0");
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)");
            }
            TraderState state = new TraderState(file, db);
            state.migrate();
            return state;
        } catch (SQLException | java.io.IOException e) {
            throw new ForesailException("cannot open the trader's state " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        int at = schemaVersion();
        if (at > MIGRATIONS.size()) {
            throw new ForesailException(file + " has schema version " + at + ", newer than this build knows ("
                    + MIGRATIONS.size() + "): use the newer build");
        }
        for (int v = at; v < MIGRATIONS.size(); v++) {
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                for (String sql : MIGRATIONS.get(v).split(";")) {
                    if (!sql.isBlank()) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement p = db.prepareStatement("INSERT INTO schema_version VALUES (?, ?)")) {
                    p.setInt(1, v + 1);
                    p.setString(2, Instant.now().toString());
                    p.executeUpdate();
                }
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        }
    }

    /** The schema version applied (the number of migration steps). */
    public synchronized int schemaVersion() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return r.next() ? r.getInt(1) : 0;
        } catch (SQLException e) {
            throw fail("read the schema version", e);
        }
    }

    /** The SQLite journal mode in force ({@code wal}). */
    public synchronized String journalMode() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
            return r.next() ? r.getString(1) : "";
        } catch (SQLException e) {
            throw fail("read the journal mode", e);
        }
    }

    /** Records a decision (append-only): its bar, the model version that made it, and its record as JSON. */
    public synchronized void recordDecision(Instant barTime, String modelVersion, String payloadJson) {
        recordDecision(barTime, modelVersion, payloadJson, List.of(), java.util.Map.of(), List.of());
    }

    /**
     * Records a decision with the client order ids of its intents, the positions it was decided
     * from (a snapshot per bar) and the risk rules that acted, in one transaction, before anything
     * is sent: an order found at the broker after a crash is still attributed to the model version
     * that decided it. Committed, not yet forced to disk: {@link #forceToDisk}.
     */
    public synchronized void recordDecision(Instant barTime, String modelVersion, String payloadJson,
                                            List<String> clientOrderIds, java.util.Map<String, Double> positions,
                                            List<io.foresail.trading.risk.RiskEvent> riskEvents) {
        String bar = barTime.toString();
        inTransaction("record a decision", () -> {
            update("INSERT INTO decisions VALUES (?, ?, ?, ?)", bar, modelVersion, payloadJson, Instant.now().toString());
            batch("INSERT OR IGNORE INTO intents VALUES (?, ?, ?)",
                    clientOrderIds.stream().map(id -> new Object[]{id, bar, modelVersion}).toList());
            batch("INSERT INTO positions VALUES (?, ?, ?)",
                    positions.entrySet().stream().map(p -> new Object[]{bar, p.getKey(), p.getValue()}).toList());
            batch("INSERT INTO risk_events VALUES (?, ?, ?, ?, ?, ?)", riskEvents.stream()
                    .map(e -> new Object[]{bar, e.rule(), e.scope(), e.reason(), e.before(), e.after()}).toList());
        });
    }

    /**
     * Records an order as it now stands (its latest state, kept for reconciliation) and the change
     * as an order event (append-only). The latest state never goes backwards: a report with fewer
     * shares filled, or an open status after an ended one (an acknowledgement written after the
     * fill it preceded), leaves the state as it was; the event is still appended.
     */
    public synchronized void recordOrder(Order o, String modelVersion) {
        update(ORDER_UPSERT, orderRow(o, modelVersion));
        update(ORDER_EVENT, eventRow(o));
    }

    /** Records several orders' states in one transaction (one write to the log), as {@link #recordOrder} each in turn. */
    public synchronized void recordOrders(List<Order> orders, String modelVersion) {
        if (orders.isEmpty()) {
            return;
        }
        inTransaction("record orders", () -> {
            batch(ORDER_UPSERT, orders.stream().map(o -> orderRow(o, modelVersion)).toList());
            batch(ORDER_EVENT, orders.stream().map(TraderState::eventRow).toList());
        });
    }

    private static final String ORDER_UPSERT = """
            INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (client_order_id) DO UPDATE SET order_id = excluded.order_id,
              status = CASE WHEN excluded.filled_quantity < orders.filled_quantity
                              OR (orders.status IN ('FILLED', 'CANCELED', 'EXPIRED', 'REPLACED', 'REJECTED')
                                  AND excluded.status IN ('NEW', 'PARTIALLY_FILLED'))
                            THEN orders.status ELSE excluded.status END,
              filled_quantity = MAX(orders.filled_quantity, excluded.filled_quantity),
              average_fill_price = CASE WHEN excluded.filled_quantity < orders.filled_quantity
                                        THEN orders.average_fill_price ELSE excluded.average_fill_price END,
              updated_at = MAX(COALESCE(orders.updated_at, ''), COALESCE(excluded.updated_at, '')),
              model_version = COALESCE(orders.model_version, excluded.model_version)
            """;
    private static final String ORDER_EVENT = "INSERT INTO order_events VALUES (?, ?, ?, ?)";

    private Object[] orderRow(Order o, String modelVersion) {
        return new Object[]{o.clientOrderId(), o.id(), o.symbol(), o.side().name(), o.quantity(), o.type().name(),
                Double.isNaN(o.limitPrice()) ? null : o.limitPrice(), o.timeInForce().name(), o.status().name(),
                o.filledQuantity(), Double.isNaN(o.averageFillPrice()) ? null : o.averageFillPrice(),
                modelVersion != null ? modelVersion : intentVersion(o.clientOrderId()),
                o.submittedAt() == null ? null : o.submittedAt().toString(),
                o.updatedAt() == null ? null : o.updatedAt().toString()};
    }

    private static Object[] eventRow(Order o) {
        return new Object[]{o.clientOrderId(), o.status().name(), o.filledQuantity(),
                (o.updatedAt() == null ? Instant.now() : o.updatedAt()).toString()};
    }

    /**
     * Puts every commit made before this call on the disk: one {@code fdatasync} of the write-ahead
     * log (which exists while the state is open), what {@code synchronous=FULL} would do in each
     * commit; the database file itself is synced by every checkpoint before the log is reused. Takes no lock of this object: fills
     * and order events are recorded while the disk works, and any number of threads may call it.
     *
     * @throws ForesailException naming the file when the disk refuses (what was committed may then
     *                           not survive the machine's crash)
     */
    public void forceToDisk() {
        Path log = file.resolveSibling(file.getFileName() + "-wal");
        try (FileChannel c = FileChannel.open(log, StandardOpenOption.READ)) {
            c.force(false);
        } catch (IOException e) {
            throw new ForesailException("trader state " + file + ": cannot force its log " + log + " to disk: "
                    + e.getMessage(), e);
        }
    }

    /** Runs {@code body}'s writes as one transaction (one append to the log); all or nothing. */
    private void inTransaction(String what, Runnable body) {
        try {
            db.setAutoCommit(false);
            body.run();
            db.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the original failure is what matters
            }
            throw e instanceof SQLException q ? fail(what, q) : (RuntimeException) e;
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException e) {
                LOG.warn("trader state {}: autocommit: {}", file, e.getMessage());
            }
        }
    }

    /** The model version whose decision named this client order id, or null (an order not decided here). */
    private String intentVersion(String clientOrderId) {
        try (PreparedStatement p = db.prepareStatement("SELECT model_version FROM intents WHERE client_order_id = ?")) {
            p.setString(1, clientOrderId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw fail("read the intents", e);
        }
    }

    /** Records a fill once per execution id; returns whether it was new (false: already recorded). */
    public synchronized boolean recordFill(Fill f) {
        boolean added = update("INSERT OR IGNORE INTO fills VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", f.executionId(), f.orderId(),
                f.clientOrderId(), f.symbol(), f.side().name(), f.quantity(), f.price(), f.fees(), f.at().toString()) == 1;
        if (added && positions != null) {
            double q = positions.merge(f.symbol(), f.signedQuantity(), Double::sum);
            if (Math.abs(q) <= 1e-9) {
                positions.remove(f.symbol());
            }
        }
        return added;
    }

    /**
     * The client order ids decided here that have no order recorded yet, with the version that
     * decided them: orders a crash may have sent without their acknowledgement being written, for
     * bars from {@code since} on; those recorded as never placed ({@link #recordUnsent}) are not
     * among them. A start looks each up at the broker.
     */
    public synchronized java.util.Map<String, String> intentsWithoutOrder(Instant since) {
        try (PreparedStatement p = db.prepareStatement(
                "SELECT i.client_order_id, i.model_version FROM intents i LEFT JOIN orders o "
                        + "ON o.client_order_id = i.client_order_id WHERE o.client_order_id IS NULL AND i.bar_time >= ? "
                        + "AND i.client_order_id NOT IN (SELECT client_order_id FROM unsent) ORDER BY i.rowid")) {
            p.setString(1, since.toString());
            java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw fail("read the intents", e);
        }
    }

    /** Whether the execution is recorded. */
    public synchronized boolean hasFill(String executionId) {
        try (PreparedStatement p = db.prepareStatement("SELECT 1 FROM fills WHERE execution_id = ?")) {
            p.setString(1, executionId);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw fail("look up a fill", e);
        }
    }

    /** The time of the latest fill recorded: where reconciliation with the broker resumes. */
    public synchronized Optional<Instant> lastFillAt() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT MAX(at) FROM fills")) {
            return r.next() && r.getString(1) != null ? Optional.of(Instant.parse(r.getString(1))) : Optional.empty();
        } catch (SQLException e) {
            throw fail("read the last fill", e);
        }
    }

    /** The shares filled of one order by the fills recorded (0 for none): what its reports must come to. */
    public synchronized double filledQuantity(String clientOrderId) {
        try (PreparedStatement p = db.prepareStatement("SELECT TOTAL(quantity) FROM fills WHERE client_order_id = ?")) {
            p.setString(1, clientOrderId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getDouble(1) : 0;
            }
        } catch (SQLException e) {
            throw fail("sum the fills of order " + clientOrderId, e);
        }
    }

    /** Every fill recorded, oldest first. */
    public synchronized List<Fill> fills() {
        List<Fill> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM fills ORDER BY at, execution_id")) {
            while (r.next()) {
                out.add(new Fill(r.getString("execution_id"), r.getString("order_id"), r.getString("client_order_id"),
                        r.getString("symbol"), io.foresail.trading.broker.Side.valueOf(r.getString("side")),
                        r.getDouble("quantity"), r.getDouble("price"), r.getDouble("fees"), Instant.parse(r.getString("at"))));
            }
            return out;
        } catch (SQLException e) {
            throw fail("read the fills", e);
        }
    }

    /**
     * The shares held per symbol by the fills recorded (what the broker's positions must equal):
     * summed from the file once, then kept up to date as fills are recorded.
     */
    public synchronized java.util.Map<String, Double> positionsFromFills() {
        if (positions == null) {
            positions = sumFills();
        }
        return new java.util.TreeMap<>(positions);
    }

    private java.util.Map<String, Double> sumFills() {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                "SELECT symbol, SUM(CASE side WHEN 'BUY' THEN quantity ELSE -quantity END) FROM fills GROUP BY symbol")) {
            while (r.next()) {
                double q = r.getDouble(2);
                if (Math.abs(q) > 1e-9) {
                    out.put(r.getString(1), q);
                }
            }
            return out;
        } catch (SQLException e) {
            throw fail("sum the fills", e);
        }
    }

    /** Records a kill-switch change (append-only). */
    public synchronized void recordKillSwitch(KillSwitchEvent e) {
        update("INSERT INTO kill_switch VALUES (?, ?, ?, ?)", e.at().toString(), e.state(), e.who(), e.why());
    }

    /**
     * Records that a decided order was never placed, and why (refused by the broker, withdrawn or
     * held back by the kill switch, a reversal's opening leg dropped): part of the audit trail,
     * and a start need not look it up at the broker. Not forced to disk: lost to a crash, it is
     * only looked up again.
     */
    public synchronized void recordUnsent(String clientOrderId, Instant at, String why) {
        update("INSERT OR IGNORE INTO unsent VALUES (?, ?, ?)", clientOrderId, at.toString(), why);
    }

    /** The latest kill-switch event, if any: the state a restart must come back in. */
    public synchronized Optional<KillSwitchEvent> killSwitch() {
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM kill_switch ORDER BY rowid DESC LIMIT 1")) {
            return r.next() ? Optional.of(new KillSwitchEvent(Instant.parse(r.getString("at")), r.getString("state"),
                    r.getString("who"), r.getString("why"))) : Optional.empty();
        } catch (SQLException e) {
            throw fail("read the kill switch", e);
        }
    }

    /** Records that {@code model} version {@code version} started serving (append-only). */
    public synchronized void recordModelVersion(Instant at, String model, String version) {
        update("INSERT INTO model_versions VALUES (?, ?, ?)", at.toString(), model, version);
    }

    /** Records the account's equity and cash at {@code at}. */
    public synchronized void recordEquity(Instant at, double equity, double cash) {
        update("INSERT INTO equity VALUES (?, ?, ?)", at.toString(), equity, cash);
    }

    /** Every equity record, oldest first: what a restart replays into the drawdown and loss limits. */
    public synchronized List<EquityPoint> equityHistory() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT at, equity FROM equity ORDER BY rowid")) {
            List<EquityPoint> out = new java.util.ArrayList<>();
            while (r.next()) {
                out.add(new EquityPoint(Instant.parse(r.getString(1)), r.getDouble(2)));
            }
            return out;
        } catch (SQLException e) {
            throw fail("read the equity records", e);
        }
    }

    /** Rows in {@code table} (for status and tests). */
    public synchronized long count(String table) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("table name " + table);
        }
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw fail("count " + table, e);
        }
    }

    /** One statement prepared once and run for every row, in order (inside the caller's transaction). */
    private void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    p.setObject(i + 1, row[i]);
                }
                p.addBatch();
            }
            p.executeBatch();
        } catch (SQLException e) {
            throw fail("write to", e);
        }
    }

    private int update(String sql, Object... values) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                p.setObject(i + 1, values[i]);
            }
            return p.executeUpdate();
        } catch (SQLException e) {
            throw fail("write to", e);
        }
    }

    private ForesailException fail(String what, SQLException e) {
        return new ForesailException("trader state " + file + ": cannot " + what + ": " + e.getMessage(), e);
    }

    /**
     * Copies the write-ahead log into the database file as far as no reader (another process)
     * holds it back, a passive checkpoint; the log starts again from its beginning at the next
     * write once all of it is copied. On this object's one connection, under its lock: writes from
     * other threads wait for it, and no second connection's locks meet the writer's. Call it
     * between bars; the log grows until it is called.
     *
     * @return the log's frames, and those now in the database
     */
    public synchronized LogCheckpoint checkpoint() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            return r.next() ? new LogCheckpoint(r.getLong(2), r.getLong(3)) : new LogCheckpoint(0, 0);
        } catch (SQLException e) {
            throw fail("checkpoint the log", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw fail("close", e);
        }
    }
}
