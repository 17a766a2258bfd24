package io.foresail.models;

import io.foresail.core.error.InvalidInputException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The catalogue of model types on the classpath: the one place that answers "which models can be
 * loaded" and "which can be trained". Types are read from {@link ServiceLoader} once per class
 * loader and listed in name order, so a configuration and a report see the same order everywhere.
 */
public final class ModelTypes {
    private static final Map<String, ModelType> TYPES = discover(ModelTypes.class.getClassLoader());

    private ModelTypes() {
    }

    /** Every type, by name. */
    public static Map<String, ModelType> all() {
        return TYPES;
    }

    /**
     * The type named {@code type}.
     *
     * @throws InvalidInputException naming the known types when there is none
     */
    public static ModelType of(String type) {
        ModelType t = TYPES.get(type);
        if (t == null) {
            throw new InvalidInputException("no model type '" + type + "'; known types: " + TYPES.keySet());
        }
        return t;
    }

    /** A fresh trainer, with default settings, for every type that can be trained here; by type. */
    public static Map<String, Trainer> trainers() {
        Map<String, Trainer> out = new LinkedHashMap<>();
        TYPES.forEach((name, t) -> t.trainer().ifPresent(trainer -> {
            if (!trainer.type().equals(name)) {
                throw new IllegalStateException("model type " + name + " returns a trainer of type " + trainer.type());
            }
            out.put(name, trainer);
        }));
        return out;
    }

    static Map<String, ModelType> discover(ClassLoader loader) {
        Map<String, ModelType> found = new java.util.TreeMap<>();
        for (ModelType t : ServiceLoader.load(ModelType.class, loader)) {
            ModelType clash = found.putIfAbsent(t.type(), t);
            if (clash != null) {
                throw new IllegalStateException("model type '" + t.type() + "' is declared twice: by "
                        + clash.getClass().getName() + " and " + t.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(found));
    }
}
