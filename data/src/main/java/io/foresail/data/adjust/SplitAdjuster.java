package io.foresail.data.adjust;

import io.foresail.data.store.BarSeries;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * Back-adjusts bars for splits: every bar dated before a split's ex-date has its prices divided by
 * the ratio and its volume multiplied by it, so the latest prices stay as traded and the history
 * is continuous. Trade counts are left alone (a trade is a trade). Several splits compound.
 */
public final class SplitAdjuster {
    private final ZoneId exchangeZone;

    /** @param exchangeZone the zone in which ex-dates are reckoned (America/New_York for NYSE) */
    public SplitAdjuster(ZoneId exchangeZone) {
        this.exchangeZone = exchangeZone;
    }

    /** The adjusted copy of {@code raw}; {@code raw} itself when no split applies to it. */
    public BarSeries adjust(BarSeries raw, List<CorporateAction> splits) {
        List<CorporateAction> mine = splits.stream().filter(a -> a.symbol().equals(raw.symbol())).toList();
        if (mine.isEmpty()) {
            return raw;
        }
        BarSeries.Builder out = BarSeries.builder(raw.symbol(), raw.size());
        for (int i = 0; i < raw.size(); i++) {
            LocalDate date = LocalDate.ofInstant(Instant.EPOCH.plusNanos(raw.tsMicros(i) * 1000L), exchangeZone);
            double factor = 1.0;
            for (CorporateAction a : mine) {
                if (date.isBefore(a.exDate())) {
                    factor *= a.ratio();
                }
            }
            out.add(raw.tsMicros(i), raw.open(i) / factor, raw.high(i) / factor, raw.low(i) / factor,
                    raw.close(i) / factor, raw.volume(i) * factor, raw.vwap(i) / factor, raw.tradeCount(i));
        }
        return out.build();
    }
}
