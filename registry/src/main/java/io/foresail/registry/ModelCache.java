package io.foresail.registry;

import io.foresail.core.io.Sha256;
import io.foresail.core.error.ForesailException;
import io.foresail.core.io.Directories;
import io.foresail.models.ModelArtifact;
import io.foresail.models.ModelIntegrityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Verified local copies of registered model versions: {@code <root>/<name>/<version>/}. A version
 * is downloaded into a staging directory beside it, verified against its
 * {@code checksums.sha256} (and, when the registry recorded one, the digest of that list), and
 * only then renamed into place, atomically. So a reader sees a complete, verified version or
 * nothing; a failed or corrupt download leaves an existing good copy untouched. Any number of
 * threads and processes may share one cache.
 */
public final class ModelCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

    private final Path root;

    public ModelCache(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** Fills a staging directory with a version's files. */
    @FunctionalInterface
    public interface Download {
        void into(Path staging) throws IOException;
    }

    public Path dir(String name, String version) {
        return root.resolve(safe(name)).resolve(version);
    }

    /** The cached copy, if present and intact. A damaged copy is reported and treated as absent. */
    public Optional<Path> cached(String name, String version, String checksumsDigest) {
        Path dir = dir(name, version);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try {
            check(dir, checksumsDigest);
            return Optional.of(dir);
        } catch (ModelIntegrityException e) {
            LOG.warn("cached model {}/{} is damaged and will be downloaded again: {}", name, version, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Downloads a version into the cache and returns its verified directory. Safe for any number of
     * threads and processes installing the same version at once: a registered version's files never
     * change, so the first verified copy to be renamed into place is the copy, and a later installer
     * that finds it intact uses it and discards its own. Only a damaged copy is replaced; readers of
     * it could not have verified it anyway.
     *
     * @param checksumsDigest SHA-256 of the version's {@code checksums.sha256} as registered, or null
     * @throws ModelIntegrityException when the download does not verify (the cache keeps what it had)
     */
    public Path install(String name, String version, String checksumsDigest, Download download) {
        Path target = dir(name, version);
        Path staging = null;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createTempDirectory(target.getParent(), ".download-" + version + "-");
            download.into(staging);
            check(staging, checksumsDigest);
            for (int attempt = 0; ; attempt++) {
                try {
                    move(staging, target);
                    staging = null;
                    return target;
                } catch (IOException exists) {
                    // rename(2) onto a non-empty directory fails with ENOTEMPTY, reported as a plain
                    // FileSystemException: what matters is whether the target is there now. It may
                    // be gone already: another installer moved a damaged copy aside between our
                    // rename and this look, and will rename its own in. Try again, a few times.
                    if (!Files.exists(target)) {
                        if (attempt == 3) {
                            throw exists;
                        }
                        continue;
                    }
                    if (cached(name, version, checksumsDigest).isPresent()) {
                        return target;
                    }
                    if (attempt == 3) {
                        throw new ForesailException("cannot cache model " + name + "/" + version + ": " + target
                                + " keeps being replaced by a damaged copy");
                    }
                    // Damaged: move it aside (a racing installer may do the same; either rename wins).
                    Path aside = target.resolveSibling(".damaged-" + version + "-" + java.util.UUID.randomUUID());
                    try {
                        move(target, aside);
                        Directories.deleteQuietly(aside);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // Another installer moved it first.
                    }
                }
            }
        } catch (IOException e) {
            throw new ForesailException("cannot cache model " + name + "/" + version + " in " + root + ": "
                    + e.getMessage(), e);
        } finally {
            Directories.deleteQuietly(staging);
        }
    }

    private static void check(Path dir, String checksumsDigest) {
        ModelArtifact.verify(dir);
        if (checksumsDigest != null && !checksumsDigest.isEmpty()) {
            String got;
            try {
                got = Sha256.ofFile(dir.resolve(ModelArtifact.CHECKSUMS));
            } catch (ForesailException e) {
                throw new ModelIntegrityException(e.getMessage());
            }
            if (!got.equals(checksumsDigest)) {
                throw new ModelIntegrityException(dir.resolve(ModelArtifact.CHECKSUMS)
                        + " is not the list registered with this version: expected sha256 " + checksumsDigest
                        + ", found " + got);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the cache's file system cannot rename " + from + " atomically", e);
        }
    }

    /** Model names may hold characters a file name should not. */
    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
