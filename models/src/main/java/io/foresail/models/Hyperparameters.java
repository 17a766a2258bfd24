package io.foresail.models;

import io.foresail.core.error.InvalidInputException;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable, name-sorted set of hyperparameter values (numbers, or strings for choices), as
 * trainers read them and model cards record them. Built from a {@link SearchSpace}'s defaults and
 * overridden by configuration or a search trial; unknown names are rejected there.
 */
public record Hyperparameters(Map<String, Object> values) implements java.io.Serializable {

    public Hyperparameters {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public double getDouble(String name) {
        Object v = require(name);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new InvalidInputException("hyperparameter " + name + " = " + v + " is not a number");
    }

    public int getInt(String name) {
        double d = getDouble(name);
        if (d != Math.rint(d)) {
            throw new InvalidInputException("hyperparameter " + name + " = " + d + " is not an integer");
        }
        return (int) d;
    }

    /** A copy with {@code name} set. */
    public Hyperparameters with(String name, Object value) {
        Map<String, Object> m = new TreeMap<>(values);
        m.put(name, value);
        return new Hyperparameters(m);
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new InvalidInputException("hyperparameter " + name + " is not set; set: " + values.keySet());
        }
        return v;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
