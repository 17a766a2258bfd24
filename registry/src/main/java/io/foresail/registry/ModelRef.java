package io.foresail.registry;

import io.foresail.core.error.InvalidInputException;

import java.util.Optional;

/**
 * A reference to a registered model version: by alias ({@code NAME@champion}) or by number
 * ({@code NAME/3}); {@code models:/} in front is accepted, as MLflow writes model URIs. Downstream
 * code resolves aliases at use time, never a hard-coded version.
 */
public record ModelRef(String name, Optional<String> alias, Optional<String> version) {

    public ModelRef {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("a model reference needs a name");
        }
        if (alias.isPresent() == version.isPresent()) {
            throw new InvalidInputException("a model reference names an alias or a version, not "
                    + (alias.isPresent() ? "both" : "neither"));
        }
    }

    public static ModelRef alias(String name, String alias) {
        return new ModelRef(name, Optional.of(alias), Optional.empty());
    }

    public static ModelRef version(String name, String version) {
        return new ModelRef(name, Optional.empty(), Optional.of(version));
    }

    /**
     * Parses {@code NAME@alias}, {@code NAME/version} or either with {@code models:/} in front.
     *
     * @throws InvalidInputException naming the text and the expected forms
     */
    public static ModelRef parse(String text) {
        String s = text.startsWith("models:/") ? text.substring("models:/".length()) : text;
        int at = s.lastIndexOf('@');
        if (at > 0 && at < s.length() - 1) {
            return alias(s.substring(0, at), s.substring(at + 1));
        }
        int slash = s.lastIndexOf('/');
        if (slash > 0 && slash < s.length() - 1 && s.substring(slash + 1).chars().allMatch(Character::isDigit)) {
            return version(s.substring(0, slash), s.substring(slash + 1));
        }
        throw new InvalidInputException("'" + text + "' is not a model reference; expected NAME@alias (e.g. "
                + "foresail-equities@champion) or NAME/version (e.g. foresail-equities/3)");
    }

    @Override
    public String toString() {
        return name + alias.map(a -> "@" + a).orElseGet(() -> "/" + version.orElseThrow());
    }
}
