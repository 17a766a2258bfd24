package io.foresail.core.io;

import io.foresail.core.error.ForesailException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Installs native libraries shipped inside jars into a versioned directory, once and atomically.
 *
 * <p>Contract: after {@link #install} the directory holds exactly the given files. It appears whole
 * (written under a unique staging name beside it, flushed, then renamed into place) and is never
 * rewritten, so any number of processes may install and {@code System.load} the same libraries at
 * once: a process that has a library mapped never sees its file change. A directory whose files
 * differ from what this build ships is refused, never repaired in place, since another process may
 * be running from it. Thread-safe and process-safe; nothing to close.
 */
public final class NativeLibraryInstall {
    private NativeLibraryInstall() {
    }

    /** Installs class-path resources (each stored under its file name) into {@code dir}; returns {@code dir}. */
    public static Path install(Path dir, ClassLoader loader, List<String> resources) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String resource : resources) {
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ForesailException("native library resource " + resource + " is not on the class path"
                            + " (a missing jar, or a platform it does not support)");
                }
                files.put(resource.substring(resource.lastIndexOf('/') + 1), in.readAllBytes());
            } catch (IOException e) {
                throw new ForesailException("cannot read native library resource " + resource + ": " + e.getMessage(), e);
            }
        }
        return install(dir, files);
    }

    /** Installs {@code files} (file name to bytes) into {@code dir}; returns {@code dir}. */
    public static Path install(Path dir, Map<String, byte[]> files) {
        dir = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            checkIntact(dir, files);
            return dir;
        }
        Path staging = null;
        try {
            Files.createDirectories(dir.getParent());
            staging = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + ".staging-");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                try (FileChannel ch = FileChannel.open(staging.resolve(f.getKey()), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(f.getValue()));
                    ch.force(true);
                }
            }
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
                staging = null;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                // Another process installed first: use its copy, never replace it.
                checkIntact(dir, files);
            } catch (IOException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
                checkIntact(dir, files);
            }
            return dir;
        } catch (IOException e) {
            throw new ForesailException("cannot install native libraries into " + dir + ": " + e.getMessage(), e);
        } finally {
            Directories.deleteQuietly(staging);
        }
    }

    private static void checkIntact(Path dir, Map<String, byte[]> files) {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            try {
                if (!Files.isRegularFile(file) || Files.size(file) != f.getValue().length
                        || !Arrays.equals(Files.readAllBytes(file), f.getValue())) {
                    wrong.add(f.getKey());
                }
            } catch (IOException e) {
                wrong.add(f.getKey() + " (" + e.getMessage() + ")");
            }
        }
        if (!wrong.isEmpty()) {
            throw new ForesailException("the native library directory " + dir + " does not hold the libraries this build"
                    + " ships (" + String.join(", ", wrong) + " differ). It is not repaired in place because a running"
                    + " process may use it: stop Foresail processes and delete that directory, or point at another one");
        }
    }
}
