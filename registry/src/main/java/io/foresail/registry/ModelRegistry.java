package io.foresail.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry: registered models, their numbered versions, aliases ({@code champion},
 * {@code challenger}) and version tags, and verified local copies of a version's files. The
 * MLflow implementation talks to an MLflow server; whatever sets an alias (our CLI or the MLflow
 * UI) is equally valid, because every consumer resolves the alias when it needs the model.
 */
public interface ModelRegistry {

    /** The version a reference points at now. */
    ModelVersion resolve(ModelRef ref);

    /** Every version of a model, newest first. */
    List<ModelVersion> versions(String name);

    /** The version holding {@code alias}, if any. */
    Optional<ModelVersion> alias(String name, String alias);

    void setAlias(String name, String alias, String version);

    void deleteAlias(String name, String alias);

    /** Sets tags on a version (e.g. who promoted it, when and why). */
    void setTags(String name, String version, Map<String, String> tags);

    /**
     * The version's model directory in the local cache, downloaded if needed and verified against
     * its {@code checksums.sha256} before it is returned. A partial or corrupt download is never
     * returned and never replaces a good cached copy.
     */
    Path fetch(ModelVersion version);

    /**
     * Takes the registry-wide lock {@code key}, waiting up to {@code wait} for another holder to
     * finish. A holder that dies keeps it at most {@code lease}.
     *
     * @throws io.foresail.core.error.InvalidInputException when another holder still has it after
     *                                                      {@code wait} (the message names the holder)
     */
    RegistryLock lock(String key, java.time.Duration lease, java.time.Duration wait);
}
