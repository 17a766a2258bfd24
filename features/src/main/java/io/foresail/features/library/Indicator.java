package io.foresail.features.library;

import io.foresail.features.expr.Expr;
import io.foresail.features.expr.ExprKernel;
import io.foresail.features.kernel.Feature;
import io.foresail.features.kernel.FeatureKernel;
import io.foresail.features.kernel.Requirement;
import io.foresail.features.kernel.ValueRange;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A parameterised family of features, {@code family_name_<window>_<variant>}: the window is the
 * parameter (a fixed window, e.g. 0 for "no window", admits only that value), the variant picks an
 * output (e.g. MACD's line, signal, histogram). {@link #defaultWindows} are the windows the
 * library's default set uses; any window from {@link #minWindow} up is valid. {@link #ranges} holds
 * the documented value range per variant (absent: unbounded).
 */
public record Indicator(
        String family,
        String name,
        String description,
        List<String> variants,
        List<Integer> defaultWindows,
        int minWindow,
        boolean fixedWindow,
        Map<String, ValueRange> ranges,
        Factory factory) {

    /** Makes the feature for a window and variant. */
    @FunctionalInterface
    public interface Factory {
        Definition create(int window, String variant);
    }

    /** A feature's formula text, requirements and kernel factory. */
    public record Definition(String formula, Set<Requirement> requirements, Supplier<FeatureKernel> kernels) {
        public static Definition of(Expr expr) {
            return new Definition(expr.formula(), expr.requirements(), () -> new ExprKernel(expr));
        }
    }

    public Indicator {
        Objects.requireNonNull(family);
        Objects.requireNonNull(name);
        variants = List.copyOf(variants);
        defaultWindows = List.copyOf(defaultWindows);
        ranges = Map.copyOf(ranges);
        for (String v : ranges.keySet()) {
            if (!variants.contains(v)) {
                throw new IllegalArgumentException(family + "_" + name + " has no variant " + v);
            }
        }
    }

    /** This indicator with every variant's values documented to lie in [min, max]. */
    public Indicator within(double min, double max) {
        Map<String, ValueRange> all = new java.util.HashMap<>();
        variants.forEach(v -> all.put(v, ValueRange.of(min, max)));
        return new Indicator(family, name, description, variants, defaultWindows, minWindow, fixedWindow, all, factory);
    }

    /** This indicator with one variant's values documented to lie in [min, max]. */
    public Indicator within(String variant, double min, double max) {
        Map<String, ValueRange> all = new java.util.HashMap<>(ranges);
        all.put(variant, ValueRange.of(min, max));
        return new Indicator(family, name, description, variants, defaultWindows, minWindow, fixedWindow, all, factory);
    }

    public ValueRange range(String variant) {
        return ranges.getOrDefault(variant, ValueRange.ANY);
    }

    /** An indicator over windows {@code >= minWindow}, built from expressions. */
    public static Indicator expr(String family, String name, String description, List<String> variants,
                                 List<Integer> defaultWindows, int minWindow, ExprFactory f) {
        return new Indicator(family, name, description, variants, defaultWindows, minWindow, false, Map.of(),
                (w, v) -> Definition.of(f.create(w, v)));
    }

    /** An indicator with a single window value (e.g. 0 or 1), built from expressions. */
    public static Indicator fixed(String family, String name, String description, List<String> variants,
                                  int window, ExprFactory f) {
        return new Indicator(family, name, description, variants, List.of(window), window, true, Map.of(),
                (w, v) -> Definition.of(f.create(w, v)));
    }

    /** Builds an expression for a window and variant. */
    @FunctionalInterface
    public interface ExprFactory {
        Expr create(int window, String variant);
    }

    public String prefix() {
        return family + "_" + name;
    }

    public String featureName(int window, String variant) {
        return prefix() + "_" + window + "_" + variant;
    }

    public boolean acceptsWindow(int window) {
        return fixedWindow ? window == minWindow : window >= minWindow;
    }

    public String windowRule() {
        return fixedWindow ? "exactly " + minWindow : "at least " + minWindow;
    }

    public Feature feature(int window, String variant) {
        Definition d = factory.create(window, variant);
        return Feature.of(featureName(window, variant), description + ": " + d.formula(),
                d.requirements(), range(variant), d.kernels());
    }
}
