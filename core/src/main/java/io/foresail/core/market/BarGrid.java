package io.foresail.core.market;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every bar start of one timeframe over a calendar's whole coverage, in time order, as UTC epoch
 * seconds. It answers grid questions by binary search, so validating or generating millions of
 * bars never converts time zones per bar.
 *
 * <p>Intraday bars start at the session open and every {@code timeframe} after it while before the
 * close; a session whose length is not a multiple of the timeframe ends with a shorter bar (hourly
 * bars: 09:30, 10:30, ... 15:30, the last one 30 minutes long). A daily bar starts at the session
 * open. Immutable and thread-safe.
 */
public final class BarGrid {
    private final Timeframe timeframe;
    private final List<TradingSession> sessions;
    private final long[] starts;
    private final int[] sessionOfBar;
    private final int[] firstBarOfSession;

    BarGrid(Timeframe timeframe, List<TradingSession> sessions) {
        this.timeframe = timeframe;
        this.sessions = List.copyOf(sessions);
        long step = timeframe.duration().getSeconds();
        long[] s = new long[sessions.size() * (timeframe.isIntraday() ? (int) Math.max(1, 23_400 / step + 1) : 1)];
        int[] sob = new int[s.length];
        this.firstBarOfSession = new int[sessions.size() + 1];
        int n = 0;
        for (int d = 0; d < sessions.size(); d++) {
            TradingSession session = sessions.get(d);
            firstBarOfSession[d] = n;
            long open = session.open().getEpochSecond();
            long close = session.close().getEpochSecond();
            if (!timeframe.isIntraday()) {
                s[n] = open;
                sob[n++] = d;
                continue;
            }
            for (long t = open; t < close; t += step) {
                s[n] = t;
                sob[n++] = d;
            }
        }
        firstBarOfSession[sessions.size()] = n;
        this.starts = Arrays.copyOf(s, n);
        this.sessionOfBar = Arrays.copyOf(sob, n);
    }

    public Timeframe timeframe() {
        return timeframe;
    }

    /** Number of bars on the grid. */
    public int size() {
        return starts.length;
    }

    /** Start of bar {@code i}, epoch seconds UTC. */
    public long startEpochSecond(int i) {
        return starts[i];
    }

    public Instant start(int i) {
        return Instant.ofEpochSecond(starts[i]);
    }

    /** End of bar {@code i} (exclusive): the next grid step or the session close, whichever is first. */
    public Instant end(int i) {
        TradingSession session = sessions.get(sessionOfBar[i]);
        if (!timeframe.isIntraday()) {
            return session.close();
        }
        long end = Math.min(starts[i] + timeframe.duration().getSeconds(), session.close().getEpochSecond());
        return Instant.ofEpochSecond(end);
    }

    /** The session bar {@code i} belongs to. */
    public TradingSession sessionOf(int i) {
        return sessions.get(sessionOfBar[i]);
    }

    /** Index of the session bar {@code i} belongs to, counted from the calendar's first session. */
    public int sessionIndexOf(int i) {
        return sessionOfBar[i];
    }

    /** True when bar {@code i} is the first of its session, so its open follows an overnight gap. */
    public boolean isFirstOfSession(int i) {
        return firstBarOfSession[sessionOfBar[i]] == i;
    }

    /** Position of bar {@code i} within its session, 0 for the first bar. */
    public int slotInSession(int i) {
        return i - firstBarOfSession[sessionOfBar[i]];
    }

    /** Number of bars in the session of bar {@code i}. */
    public int barsInSessionOf(int i) {
        int d = sessionOfBar[i];
        return firstBarOfSession[d + 1] - firstBarOfSession[d];
    }

    /** Index of the bar starting exactly at {@code epochSecond}, or -1 when it is not a bar start. */
    public int indexOf(long epochSecond) {
        int i = Arrays.binarySearch(starts, epochSecond);
        return i >= 0 ? i : -1;
    }

    public int indexOf(Instant t) {
        return t.getNano() != 0 ? -1 : indexOf(t.getEpochSecond());
    }

    /** Index of the first bar starting at or after {@code epochSecond} ({@link #size()} if none). */
    public int ceilingIndex(long epochSecond) {
        int i = Arrays.binarySearch(starts, epochSecond);
        return i >= 0 ? i : -i - 1;
    }

    public boolean contains(Instant t) {
        return indexOf(t) >= 0;
    }

    /** The first bar start strictly after {@code t}. */
    public Optional<Instant> next(Instant t) {
        int i = ceilingIndex(t.getEpochSecond() + 1);
        return i < starts.length ? Optional.of(start(i)) : Optional.empty();
    }

    /** The last bar start strictly before {@code t}. */
    public Optional<Instant> previous(Instant t) {
        long s = t.getEpochSecond() + (t.getNano() > 0 ? 1 : 0);
        int i = ceilingIndex(s) - 1;
        return i >= 0 ? Optional.of(start(i)) : Optional.empty();
    }

    /** Number of bar starts in {@code [from, to)}; negative when {@code to} is before {@code from}. */
    public long barsBetween(Instant from, Instant to) {
        return ceilingIndex(ceilSecond(to)) - ceilingIndex(ceilSecond(from));
    }

    private static long ceilSecond(Instant t) {
        return t.getEpochSecond() + (t.getNano() > 0 ? 1 : 0);
    }

    /** The bar starts of one trading day, empty on a non-trading day. */
    public List<Instant> barsOf(LocalDate date) {
        int lo = 0;
        int hi = sessions.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = sessions.get(mid).date().compareTo(date);
            if (c == 0) {
                List<Instant> out = new ArrayList<>();
                for (int i = firstBarOfSession[mid]; i < firstBarOfSession[mid + 1]; i++) {
                    out.add(start(i));
                }
                return out;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return List.of();
    }
}
