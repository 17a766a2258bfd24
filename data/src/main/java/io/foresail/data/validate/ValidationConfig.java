package io.foresail.data.validate;

import io.foresail.core.error.InvalidInputException;
import io.foresail.core.market.TradingCalendar;
import io.foresail.data.adjust.CorporateActions;
import java.time.LocalDate;

/**
 * Settings of a validation run; build with {@link #builder()}. Defaults (docs/data.md): a gap
 * of at most 5 missing bars, at least 95 % coverage, and an overnight jump above 40 % flagged as a
 * suspected unadjusted split. The coverage range defaults to the store's own first and last dates.
 */
public record ValidationConfig(
        TradingCalendar calendar,
        int maxGapBars,
        double minCoverage,
        double splitJumpThreshold,
        CorporateActions corporateActions,
        LocalDate from,
        LocalDate to) {

    public ValidationConfig {
        if (maxGapBars < 0) {
            throw new InvalidInputException("max gap must be >= 0 bars, got " + maxGapBars);
        }
        if (!(minCoverage >= 0 && minCoverage <= 1)) {
            throw new InvalidInputException("min coverage must be within 0..1, got " + minCoverage);
        }
        if (!(splitJumpThreshold > 0)) {
            throw new InvalidInputException("split jump threshold must be > 0, got " + splitJumpThreshold);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults above. */
    public static final class Builder {
        private TradingCalendar calendar = TradingCalendar.nyse();
        private int maxGapBars = 5;
        private double minCoverage = 0.95;
        private double splitJumpThreshold = 0.40;
        private CorporateActions corporateActions = CorporateActions.none();
        private LocalDate from;
        private LocalDate to;

        public Builder calendar(TradingCalendar v) {
            calendar = v;
            return this;
        }

        public Builder maxGapBars(int v) {
            maxGapBars = v;
            return this;
        }

        public Builder minCoverage(double v) {
            minCoverage = v;
            return this;
        }

        public Builder splitJumpThreshold(double v) {
            splitJumpThreshold = v;
            return this;
        }

        public Builder corporateActions(CorporateActions v) {
            corporateActions = v;
            return this;
        }

        /** Dates over which coverage is measured, inclusive. */
        public Builder range(LocalDate fromDate, LocalDate toDate) {
            from = fromDate;
            to = toDate;
            return this;
        }

        public ValidationConfig build() {
            return new ValidationConfig(calendar, maxGapBars, minCoverage, splitJumpThreshold, corporateActions,
                    from, to);
        }
    }
}
