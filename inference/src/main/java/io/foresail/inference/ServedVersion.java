package io.foresail.inference;

import io.foresail.registry.ModelVersion;

import java.util.Objects;

/**
 * Which registered model version made a prediction: what orders and the audit trail name.
 *
 * @param planHash the feature plan the version's inputs come from
 */
public record ServedVersion(String name, String version, String runId, String planHash) {
    public ServedVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    static ServedVersion of(ModelVersion v, String planHash) {
        return new ServedVersion(v.name(), v.version(), v.runId(), planHash);
    }

    @Override
    public String toString() {
        return name + "/" + version;
    }
}
