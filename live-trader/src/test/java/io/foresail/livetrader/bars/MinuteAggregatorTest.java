package io.foresail.livetrader.bars;

import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Fifteen-minute bars from minute bars: what a closed bar holds. */
class MinuteAggregatorTest {
    private static final BarGrid GRID = TradingCalendar.nyse().grid(Timeframe.MIN_15);

    /**
     * Every minute message brings its own copy of the symbol's name; the bars built from them share
     * one, so that the trader's thousands of kept bars hold one string per symbol, not one per bar.
     */
    @Test
    void barsOfOneSymbolShareOneNameWhateverCopyTheirMinutesCarried() {
        MinuteAggregator aggregator = new MinuteAggregator(GRID);
        int first = GRID.ceilingIndex(Instant.parse("2024-03-05T14:30:00Z").getEpochSecond());
        List<Bar> closed = new ArrayList<>();
        for (int slot = first; slot < first + 3; slot++) {
            for (int minute = 0; minute < 15; minute++) {
                String copy = new String("AAPL".toCharArray()); // a fresh instance, as a parsed message has
                Instant t = GRID.start(slot).plusSeconds(60L * minute);
                MinuteAggregator.Outcome o = aggregator.add(new Bar(copy, t, 100 + minute, 101 + minute, 99, 100.5, 10, 100.2, 3));
                if (o.completed() != null) {
                    closed.add(o.completed());
                }
            }
        }
        assertThat(closed).hasSize(3);
        assertThat(closed).allSatisfy(b -> assertThat(b.symbol()).isEqualTo("AAPL").isSameAs(closed.get(0).symbol()));
        assertThat(closed.get(1).open()).isEqualTo(100);
        assertThat(closed.get(1).high()).isEqualTo(115);
        assertThat(closed.get(1).volume()).isEqualTo(150);
    }
}
