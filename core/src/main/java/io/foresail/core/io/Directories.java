package io.foresail.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removing directory trees: scratch space of jobs, benchmarks and model hand-offs. */
public final class Directories {
    private Directories() {
    }

    /**
     * Deletes {@code dir} and everything below it; a missing directory is already deleted.
     *
     * @throws UncheckedIOException naming the first path that could not be removed
     */
    public static void delete(Path dir) {
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + p, e);
            }
        }
    }

    /** Like {@link #delete} for scratch space whose leftovers are harmless; returns whether it is gone. */
    public static boolean deleteQuietly(Path dir) {
        if (dir == null) {
            return true;
        }
        try {
            delete(dir);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Copies the tree below {@code from} into {@code to} (created if absent; may already exist empty),
     * files byte for byte, directories first.
     */
    public static void copyTree(Path from, Path to) throws IOException {
        List<Path> paths;
        try (Stream<Path> s = Files.walk(from)) {
            paths = s.sorted().toList();
        }
        for (Path p : paths) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(target);
            } else {
                Files.copy(p, target);
            }
        }
    }

    /** Total bytes of the regular files below {@code dir}. */
    public static long size(Path dir) {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(dir)) {
            long total = 0;
            for (Path f : (Iterable<Path>) s.filter(java.nio.file.Files::isRegularFile)::iterator) {
                total += java.nio.file.Files.size(f);
            }
            return total;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot size " + dir + ": " + e.getMessage(), e);
        }
    }
}
