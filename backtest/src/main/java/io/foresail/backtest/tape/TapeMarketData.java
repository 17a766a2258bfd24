package io.foresail.backtest.tape;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.ReplayClock;
import io.foresail.trading.market.CrossSection;
import io.foresail.trading.market.MarketData;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The simulated {@link MarketData}: replays a {@link BarTape}, moving the {@link ReplayClock} to
 * each bar's end (when a live bar becomes known) and then delivering its cross-section to the
 * listeners in the order they registered. The live counterpart assembles the same cross-sections
 * from Alpaca's stream. Single-threaded: {@link #replay()} runs the listeners on the caller's thread.
 */
public final class TapeMarketData implements MarketData {
    private final BarTape tape;
    private final BarGrid grid;
    private final ReplayClock clock;
    private final List<Consumer<CrossSection>> listeners = new ArrayList<>();

    public TapeMarketData(BarTape tape, BarGrid grid, ReplayClock clock) {
        this.tape = tape;
        this.grid = grid;
        this.clock = clock;
    }

    @Override
    public void onBarClose(Consumer<CrossSection> listener) {
        listeners.add(listener);
    }

    /** Delivers every bar of the tape, in order. */
    public void replay() {
        for (int t = 0; t < tape.bars(); t++) {
            int g = grid.indexOf(tape.starts()[t]);
            if (g < 0) {
                throw new InvalidInputException("replay: bar " + tape.start(t) + " of the tape is not on the "
                        + grid.timeframe() + " session grid");
            }
            clock.advanceTo(grid.end(g));
            CrossSection bar = tape.crossSection(t, grid.slotInSession(g) == grid.barsInSessionOf(g) - 1);
            for (Consumer<CrossSection> l : listeners) {
                l.accept(bar);
            }
        }
    }
}
