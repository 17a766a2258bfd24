package io.foresail.alpacasim;

import io.foresail.alpacasim.market.ReplayMarket;
import io.foresail.alpacasim.server.SimServer;
import io.foresail.alpacasim.server.SimServerConfig;
import io.foresail.backtest.venue.ExecutionConfig;
import io.foresail.core.market.Bar;
import io.foresail.core.market.BarGrid;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A small seeded market (three names, a week of 15-minute bars from 2024-03-04) and a stepped simulator on it. */
public final class SimFixture {
    public static final TradingCalendar NYSE = TradingCalendar.nyse();
    public static final Instant MONDAY_OPEN = Instant.parse("2024-03-04T14:30:00Z");

    private SimFixture() {
    }

    /** Random-walk bars on the NYSE 15-minute grid, {@code sessions} sessions from Monday 2024-03-04. */
    public static Map<String, List<Bar>> bars(List<String> symbols, int sessions, long seed) {
        BarGrid grid = NYSE.grid(Timeframe.MIN_15);
        int first = grid.indexOf(MONDAY_OPEN);
        int count = 0;
        while (grid.sessionIndexOf(first + count) - grid.sessionIndexOf(first) < sessions) {
            count++;
        }
        Random rnd = new Random(seed);
        Map<String, List<Bar>> out = new LinkedHashMap<>();
        for (String s : symbols) {
            List<Bar> bars = new ArrayList<>();
            double price = 50 + 100 * rnd.nextDouble();
            for (int t = 0; t < count; t++) {
                double open = price;
                double close = open * (1 + 0.004 * rnd.nextGaussian());
                double high = Math.max(open, close) * (1 + 0.002 * rnd.nextDouble());
                double low = Math.min(open, close) * (1 - 0.002 * rnd.nextDouble());
                double vwap = low + (high - low) * (0.25 + 0.5 * rnd.nextDouble());
                bars.add(new Bar(s, grid.start(first + t), open, high, low, close, 20_000 + rnd.nextInt(80_000), vwap,
                        200 + rnd.nextInt(800)));
                price = close;
            }
            out.put(s, bars);
        }
        return out;
    }

    public static ReplayMarket market() {
        return new ReplayMarket(bars(List.of("AAA", "BBB", "SPY"), 5, 7), Timeframe.MIN_15, NYSE, 42);
    }

    /** A stepped simulator (speed 0) at Monday's open, default paper settings, and its server on a free port. */
    public static SimServer server(SimServerConfig config) {
        Simulator sim = new Simulator(market(), ExecutionConfig.defaults(), MONDAY_OPEN, 0);
        return SimServer.start(sim, config);
    }
}
