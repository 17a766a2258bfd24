package io.foresail.features.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a feature set does with rows whose features are still warming up. Labels never drop rows. */
public enum NanPolicy {
    /** Keep every bar; warm-up values are NaN. Models skip or impute them. */
    @JsonProperty("keep") KEEP,
    /** Drop each symbol's first bars until every feature in the set has warmed up; the count is recorded. */
    @JsonProperty("drop_warmup") DROP_WARMUP
}
