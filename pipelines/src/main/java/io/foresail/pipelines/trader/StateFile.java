package io.foresail.pipelines.trader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a trader's state file ({@code trader.db}, SQLite in WAL mode: a reader never blocks the
 * trader) from outside its process, for the chaos suite's checks and the benchmark's pacing.
 */
public final class StateFile {
    private final Path db;

    public StateFile(Path stateDir) {
        this.db = stateDir.resolve("trader.db");
    }

    /** The first column of every row of {@code sql} (nulls left out); nothing before the file and its tables exist. */
    public List<String> column(String sql) {
        if (!Files.exists(db)) {
            return List.of();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath())) {
            return column(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + db + ": " + e.getMessage(), e);
        }
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (r.next()) {
                String v = r.getString(1);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such table")) {
                return List.of();
            }
            throw e;
        }
    }

    /** The shares held per symbol by the fills recorded (what the broker's positions must equal). */
    public java.util.Map<String, Double> positionsFromFills() {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        for (String row : column("SELECT symbol || '|' || SUM(CASE side WHEN 'BUY' THEN quantity ELSE -quantity END) "
                + "FROM fills GROUP BY symbol")) {
            String[] p = row.split("\\|");
            double q = Double.parseDouble(p[1]);
            if (Math.abs(q) > 1e-9) {
                out.put(p[0], q);
            }
        }
        return out;
    }

    /** Waits until a decision for the bar starting {@code bar} (or a later one) is recorded; false after {@code timeout}. */
    public boolean awaitDecision(Instant bar, Duration timeout) throws InterruptedException {
        return awaitAtLeast("SELECT MAX(bar_time) FROM decisions", bar, timeout);
    }

    /**
     * Waits until the trader has finished a bar ending at {@code barEnd} (or a later one): its orders
     * out and acknowledged, its equity recorded last; false after {@code timeout}.
     */
    public boolean awaitBarDone(Instant barEnd, Duration timeout) throws InterruptedException {
        return awaitAtLeast("SELECT MAX(at) FROM equity", barEnd, timeout);
    }

    private boolean awaitAtLeast(String sql, Instant t, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Connection c = null;
        try {
            while (System.nanoTime() < deadline) {
                // One connection for the wait: opening one every 5 ms took a share of a core from the
                // trader being measured on the same machine.
                if (c == null && Files.exists(db)) {
                    c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                }
                String last = c == null ? null : column(c, sql).stream().findFirst().orElse(null);
                if (last != null && !Instant.parse(last).isBefore(t)) {
                    return true;
                }
                Thread.sleep(5);
            }
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + db + ": " + e.getMessage(), e);
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // A read-only connection: nothing to lose.
                }
            }
        }
    }
}
