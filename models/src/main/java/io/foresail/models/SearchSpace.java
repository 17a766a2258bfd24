package io.foresail.models;

import io.foresail.core.error.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's hyperparameters: each with its default and the range a search explores (log-scale for
 * rates and penalties, integer for depths and counts). A search works in the unit cube: {@link #decode}
 * maps a point of [0, 1]^n to values, so any optimiser can drive it. Parameters with an empty range
 * ({@code low == high}) are fixed and not searched.
 */
public record SearchSpace(String model, List<Param> params) implements java.io.Serializable {

    /** How a unit coordinate maps to a value. */
    public enum Scale { LINEAR, LOG, INTEGER }

    /** One hyperparameter: name, default, inclusive range and scale. */
    public record Param(String name, double defaultValue, double low, double high, Scale scale)
            implements java.io.Serializable {
        public Param {
            if (!(low <= defaultValue && defaultValue <= high)) {
                throw new IllegalArgumentException(name + ": default " + defaultValue + " outside [" + low + ", " + high + "]");
            }
            if (scale == Scale.LOG && low <= 0) {
                throw new IllegalArgumentException(name + ": a log scale needs a positive range");
            }
        }

        public boolean searched() {
            return high > low;
        }

        Object value(double v) {
            return scale == Scale.INTEGER ? (Object) (int) Math.round(v) : (Object) v;
        }

        double decode(double u) {
            double c = Math.max(0, Math.min(1, u));
            return switch (scale) {
                case LINEAR -> low + c * (high - low);
                case LOG -> Math.exp(Math.log(low) + c * (Math.log(high) - Math.log(low)));
                case INTEGER -> Math.round(low + c * (high - low));
            };
        }
    }

    public SearchSpace {
        params = List.copyOf(params);
    }

    public static Param log(String name, double def, double low, double high) {
        return new Param(name, def, low, high, Scale.LOG);
    }

    public static Param linear(String name, double def, double low, double high) {
        return new Param(name, def, low, high, Scale.LINEAR);
    }

    public static Param integer(String name, int def, int low, int high) {
        return new Param(name, def, low, high, Scale.INTEGER);
    }

    public Hyperparameters defaults() {
        Map<String, Object> m = new TreeMap<>();
        params.forEach(p -> m.put(p.name(), p.value(p.defaultValue())));
        return new Hyperparameters(m);
    }

    /**
     * The defaults overridden by {@code overrides}; each must be a known name with a value in range.
     *
     * @throws InvalidInputException naming the parameter, the model and the valid names
     */
    public Hyperparameters withOverrides(Map<String, ?> overrides) {
        Map<String, Object> m = new TreeMap<>(defaults().values());
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            Param p = find(e.getKey());
            if (!(e.getValue() instanceof Number n)) {
                throw new InvalidInputException(model + " hyperparameter " + e.getKey() + ": '" + e.getValue() + "' is not a number");
            }
            double v = n.doubleValue();
            if (p.scale() == Scale.INTEGER && v != Math.rint(v)) {
                throw new InvalidInputException(model + " hyperparameter " + e.getKey() + " must be an integer, got " + v);
            }
            m.put(p.name(), p.value(v));
        }
        return new Hyperparameters(m);
    }

    /** Replaces a parameter's searched range (configuration may narrow or widen the default one). */
    public SearchSpace withRange(String name, double low, double high) {
        Param p = find(name);
        Param narrowed = new Param(name, Math.max(low, Math.min(high, p.defaultValue())), low, high, p.scale());
        return new SearchSpace(model, params.stream().map(q -> q.name().equals(name) ? narrowed : q).toList());
    }

    public Param find(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() ->
                new InvalidInputException("unknown " + model + " hyperparameter '" + name + "'; known: "
                        + String.join(", ", params.stream().map(Param::name).toList())));
    }

    /** The searched parameters, in order: the coordinates of {@link #decode}. */
    public List<Param> searched() {
        return params.stream().filter(Param::searched).toList();
    }

    /** Values for a point of the unit cube over {@link #searched()}, fixed parameters at their defaults, on top of {@code base}. */
    public Hyperparameters decode(double[] unit, Hyperparameters base) {
        List<Param> s = searched();
        if (unit.length != s.size()) {
            throw new IllegalArgumentException("expected " + s.size() + " coordinates, got " + unit.length);
        }
        Map<String, Object> m = new LinkedHashMap<>(base.values());
        for (int i = 0; i < unit.length; i++) {
            m.put(s.get(i).name(), s.get(i).value(s.get(i).decode(unit[i])));
        }
        return new Hyperparameters(m);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(model).append(':');
        for (Param p : params) {
            b.append(String.format(Locale.ROOT, " %s=%s[%s..%s]", p.name(), p.defaultValue(), p.low(), p.high()));
        }
        return b.toString();
    }
}
