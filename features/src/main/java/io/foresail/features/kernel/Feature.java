package io.foresail.features.kernel;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A named feature: its definition (name, description, warm-up, version, what it needs, the range
 * its values lie in) and a factory of fresh kernels, one per symbol. Names follow {@code {family}_{indicator}_{window}_{variant}}
 * (docs/features.md), lower case, e.g. {@code tech_rsi_14_raw}.
 */
public record Feature(
        String name,
        String description,
        int warmUp,
        String version,
        Set<Requirement> requirements,
        ValueRange range,
        Supplier<FeatureKernel> factory) {

    /** {@code family_indicator_window_variant}; the variant may itself contain dots or underscores. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*_[a-z][a-z0-9]*_[0-9]+_[a-z0-9][a-z0-9_.]*");

    public Feature {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(factory, "factory");
        requirements = requirements.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(requirements));
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("feature name '" + name + "' is not family_indicator_window_variant");
        }
        if (warmUp < 1) {
            throw new IllegalArgumentException(name + ": warm-up must be at least 1 bar, got " + warmUp);
        }
    }

    /** A feature whose warm-up and version are read off a prototype kernel. */
    public static Feature of(String name, String description, Set<Requirement> requirements, ValueRange range,
                             Supplier<FeatureKernel> factory) {
        FeatureKernel prototype = factory.get();
        return new Feature(name, description, prototype.warmUp(), prototype.version(), requirements, range, factory);
    }

    public FeatureKernel newKernel() {
        return factory.get();
    }

    public String family() {
        return name.substring(0, name.indexOf('_'));
    }
}
