package io.foresail.trading.market;

import java.util.function.Consumer;

/**
 * Where bar closes come from: the live bar intake (Alpaca's stream, assembled onto the calendar's
 * grid) or a replay of a bar store. Each universe bar is delivered once, in time order, after it
 * has closed, on the source's own thread.
 */
public interface MarketData {

    void onBarClose(Consumer<CrossSection> listener);
}
