package io.foresail.data.synth;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.Timeframe;
import io.foresail.core.market.TradingCalendar;
import io.foresail.core.universe.Universe;
import java.time.LocalDate;

/**
 * Settings of a synthetic market; build with {@link #builder()}. Defaults: the default universe's
 * 50 equities plus its benchmark, 2020-01-01 to 2024-12-31 on the NYSE calendar, 15-minute bars,
 * seed 42, planted alpha IC 0.03, three splits.
 *
 * @param symbols  number of equities (the benchmark comes on top); beyond the universe's size,
 *                 extra symbols named {@code SYN051}, ... are made up with sectors in turn
 * @param alphaIc  target cross-sectional IC of the oracle's expected next-bar return with the
 *                 realised one; 0 plants no alpha
 * @param splits   how many equities get a split inside the range
 */
public record SynthConfig(
        Universe universe,
        int symbols,
        LocalDate start,
        LocalDate end,
        long seed,
        double alphaIc,
        Timeframe timeframe,
        TradingCalendar calendar,
        int splits) {

    public SynthConfig {
        if (symbols < 1 || symbols > 2000) {
            throw new InvalidInputException("--symbols must be within 1..2000, got " + symbols);
        }
        if (end.isBefore(start)) {
            throw new InvalidInputException("--end " + end + " is before --start " + start);
        }
        calendar.checkCovered(start);
        calendar.checkCovered(end);
        if (calendar.sessions(start, end).size() < 2) {
            throw new InvalidInputException("the range " + start + " to " + end + " holds fewer than 2 trading days");
        }
        if (!(alphaIc >= 0 && alphaIc < 0.5)) {
            throw new InvalidInputException("--alpha-ic must be within [0, 0.5), got " + alphaIc);
        }
        if (splits < 0 || splits > symbols) {
            throw new InvalidInputException("splits must be within 0.." + symbols + ", got " + splits);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults above. */
    public static final class Builder {
        private Universe universe;
        private int symbols = 50;
        private LocalDate start = LocalDate.of(2020, 1, 1);
        private LocalDate end = LocalDate.of(2024, 12, 31);
        private long seed = 42;
        private double alphaIc = 0.03;
        private Timeframe timeframe = Timeframe.DEFAULT;
        private TradingCalendar calendar = TradingCalendar.nyse();
        private int splits = 3;

        public Builder universe(Universe v) {
            universe = v;
            return this;
        }

        public Builder symbols(int v) {
            symbols = v;
            return this;
        }

        public Builder start(LocalDate v) {
            start = v;
            return this;
        }

        public Builder end(LocalDate v) {
            end = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder alphaIc(double v) {
            alphaIc = v;
            return this;
        }

        public Builder timeframe(Timeframe v) {
            timeframe = v;
            return this;
        }

        public Builder calendar(TradingCalendar v) {
            calendar = v;
            return this;
        }

        public Builder splits(int v) {
            splits = v;
            return this;
        }

        public SynthConfig build() {
            return new SynthConfig(universe == null ? Universe.defaultUniverse() : universe, symbols, start, end,
                    seed, alphaIc, timeframe, calendar, Math.min(splits, symbols));
        }
    }
}
