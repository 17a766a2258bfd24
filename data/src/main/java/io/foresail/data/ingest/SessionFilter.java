package io.foresail.data.ingest;

import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.market.TradingSession;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Maps a vendor's bar timestamp onto Foresail's convention (bar START, UTC) and tells pre- and
 * post-market bars apart. End-labelled bars map to the grid bar that ends at the label (so a
 * shortened last bar maps right too). A daily bar maps to the session open of its date in the
 * vendor's zone. Timestamps that fit nothing are passed through unchanged, for validation to flag.
 */
public final class SessionFilter {
    private final TradingCalendar calendar;
    private final Timeframe timeframe;
    private final BarGrid grid;
    private final BarLabel label;
    private final ZoneId vendorZone;

    /** For start-labelled bars, as Alpaca stamps them. */
    public SessionFilter(TradingCalendar calendar, Timeframe timeframe, ZoneId vendorZone) {
        this(calendar, timeframe, BarLabel.START, vendorZone);
    }

    public SessionFilter(TradingCalendar calendar, Timeframe timeframe, BarLabel label, ZoneId vendorZone) {
        this.calendar = calendar;
        this.timeframe = timeframe;
        this.grid = calendar.grid(timeframe);
        this.label = label;
        this.vendorZone = vendorZone;
    }

    /** The bar start, or empty when the bar lies outside the regular session of a trading day. */
    public Optional<Instant> align(Instant stamp) {
        if (!timeframe.isIntraday()) {
            LocalDate date = LocalDate.ofInstant(stamp, vendorZone);
            if (date.isBefore(calendar.firstDate()) || date.isAfter(calendar.lastDate())) {
                return Optional.of(stamp);
            }
            return Optional.of(calendar.session(date).map(TradingSession::open).orElse(stamp));
        }
        Instant start = stamp;
        if (label == BarLabel.END) {
            Optional<Instant> prev = grid.previous(stamp);
            int i = prev.map(grid::indexOf).orElse(-1);
            start = i >= 0 && grid.end(i).equals(stamp) ? prev.get() : stamp.minus(timeframe.duration());
        }
        LocalDate date = calendar.localDate(start);
        if (date.isBefore(calendar.firstDate()) || date.isAfter(calendar.lastDate())) {
            return Optional.of(start);
        }
        Optional<TradingSession> session = calendar.session(date);
        if (session.isPresent() && !session.get().contains(start)) {
            return Optional.empty();
        }
        return Optional.of(start);
    }
}
