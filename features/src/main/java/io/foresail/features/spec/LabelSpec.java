package io.foresail.features.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.error.InvalidInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * The labels of a feature set: forward returns over each horizon (in bars of the store's
 * timeframe), raw ({@code label_fwd_<h>_raw}), in excess of the benchmark
 * ({@code label_fwd_<h>_excess}), and a direction class ({@code label_dir_<h>_class}: 1 when the
 * raw forward return is positive, else 0).
 */
public record LabelSpec(
        @JsonProperty("horizons") List<Integer> horizons,
        @JsonProperty("excess") Boolean excess,
        @JsonProperty("direction") Boolean direction) {

    public static final List<Integer> DEFAULT_HORIZONS = List.of(1, 4, 26);

    public LabelSpec {
        horizons = horizons == null ? DEFAULT_HORIZONS : List.copyOf(horizons);
        excess = excess == null || excess;
        direction = direction == null || direction;
        if (horizons.isEmpty()) {
            throw new InvalidInputException("labels.horizons is empty; give at least one horizon in bars");
        }
        for (int h : horizons) {
            if (h < 1) {
                throw new InvalidInputException("labels.horizons: horizon " + h + " must be at least 1 bar");
            }
        }
        if (horizons.stream().distinct().count() != horizons.size()) {
            throw new InvalidInputException("labels.horizons has duplicates: " + horizons);
        }
    }

    public static LabelSpec defaults() {
        return new LabelSpec(null, null, null);
    }

    public int maxHorizon() {
        return horizons.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Column names in the order the feature set stores them. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (int h : horizons) {
            out.add("label_fwd_" + h + "_raw");
            if (excess) {
                out.add("label_fwd_" + h + "_excess");
            }
            if (direction) {
                out.add("label_dir_" + h + "_class");
            }
        }
        return out;
    }
}
