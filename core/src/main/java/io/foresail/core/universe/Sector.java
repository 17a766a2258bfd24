package io.foresail.core.universe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.foresail.core.error.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The eleven GICS sectors (2023 structure), plus {@link #BENCHMARK} for index ETFs. */
public enum Sector {
    ENERGY("Energy"),
    MATERIALS("Materials"),
    INDUSTRIALS("Industrials"),
    CONSUMER_DISCRETIONARY("Consumer Discretionary"),
    CONSUMER_STAPLES("Consumer Staples"),
    HEALTH_CARE("Health Care"),
    FINANCIALS("Financials"),
    INFORMATION_TECHNOLOGY("Information Technology"),
    COMMUNICATION_SERVICES("Communication Services"),
    UTILITIES("Utilities"),
    REAL_ESTATE("Real Estate"),
    BENCHMARK("Benchmark");

    private final String gicsName;

    Sector(String gicsName) {
        this.gicsName = gicsName;
    }

    @JsonValue
    public String gicsName() {
        return gicsName;
    }

    /** Accepts the GICS name ("Health Care") or the constant name ("HEALTH_CARE"), case-insensitively. */
    @JsonCreator
    public static Sector parse(String text) {
        for (Sector s : values()) {
            if (s.gicsName.equalsIgnoreCase(text) || s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new InvalidInputException("unknown sector '" + text + "'; expected one of "
                + Arrays.stream(values()).map(Sector::gicsName).collect(Collectors.joining(", ")));
    }
}
