package io.foresail.data;

import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.data.store.BarSeries;
import java.time.LocalDate;
import java.util.SplittableRandom;

/** Clean bars on the NYSE 15-minute grid, for tests. */
public final class TestBars {
    private TestBars() {
    }

    /** A random-walk series of {@code days} full sessions from {@code from}, valid under every rule. */
    public static BarSeries clean(String symbol, LocalDate from, int days, long seed) {
        BarGrid grid = TradingCalendar.nyse().grid(Timeframe.MIN_15);
        int i = grid.ceilingIndex(from.atStartOfDay(TradingCalendar.nyse().zone()).toEpochSecond());
        int startSession = grid.sessionIndexOf(i);
        SplittableRandom r = new SplittableRandom(seed);
        BarSeries.Builder b = BarSeries.builder(symbol);
        double price = 100;
        for (; i < grid.size() && grid.sessionIndexOf(i) < startSession + days; i++) {
            double open = price;
            double close = open * Math.exp(0.002 * (r.nextDouble() - 0.5));
            double high = Math.max(open, close) * 1.001;
            double low = Math.min(open, close) * 0.999;
            b.add(grid.startEpochSecond(i) * 1_000_000L, open, high, low, close, 1000 + r.nextInt(1000),
                    (open + close) / 2, 10 + r.nextInt(50));
            price = close;
        }
        return b.build();
    }
}
