package io.foresail.data.synth;

import io.foresail.data.validate.Rule;
import java.time.Instant;

/**
 * One defect the fault injector planted: the ground truth a validation test checks against.
 * {@code expectedRule} is the rule the validator must report for it, or null for missing bars,
 * which are not violations within the gap tolerance but show up as gaps.
 */
public record InjectedFault(String symbol, Instant ts, Kind kind, Rule expectedRule, String detail) {

    /** The kinds of defect. */
    public enum Kind { DUPLICATE, OUT_OF_ORDER, OHLC_VIOLATION, NEGATIVE_VOLUME, NAN_PRICE, MISSING_BARS }
}
