package io.foresail.features.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.error.InvalidInputException;

import java.util.List;

/**
 * Cross-sectional transforms across the universe's equities at each bar: {@code rank} (percentile
 * rank, ties averaged, in (0, 1]) and {@code zscore} (population z-score), of each listed source
 * feature. Output names are {@code xs_<op>_<window>_<source family>_<source indicator>_<source variant>},
 * e.g. {@code xs_rank_14_tech_rsi_raw} for the rank of {@code tech_rsi_14_raw}.
 */
public record CrossSectionalSpec(
        @JsonProperty("ops") List<String> ops,
        @JsonProperty(value = "features", required = true) List<String> features) {

    public static final List<String> OPS = List.of("rank", "zscore");

    public CrossSectionalSpec {
        ops = ops == null ? OPS : List.copyOf(ops);
        features = features == null ? List.of() : List.copyOf(features);
        for (String op : ops) {
            if (!OPS.contains(op)) {
                throw new InvalidInputException("cross_sectional.ops: unknown op '" + op + "'; ops are " + OPS);
            }
        }
    }

    public static CrossSectionalSpec none() {
        return new CrossSectionalSpec(List.of(), List.of());
    }

    /** The output name of {@code op} over source feature {@code source}. */
    public static String outputName(String op, String source) {
        String[] p = source.split("_", 4);
        return "xs_" + op + "_" + p[2] + "_" + p[0] + "_" + p[1] + "_" + p[3];
    }
}
