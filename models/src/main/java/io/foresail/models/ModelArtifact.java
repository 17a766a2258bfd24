package io.foresail.models;

import io.foresail.core.io.Sha256;
import io.foresail.core.io.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The on-disk form of a model (docs/architecture.md): a directory with the model's own files,
 * {@code model.json} ({@link ModelCard}) and {@code checksums.sha256} over every other file, in
 * {@code sha256sum} format. Loading verifies every checksum before any native library reads a byte.
 */
public final class ModelArtifact {
    public static final String CHECKSUMS = "checksums.sha256";
    private ModelArtifact() {
    }

    /** Writes {@code model} into {@code dir}, which must not exist or be empty. */
    public static void save(Model model, Path dir) {
        save(model, dir, model.card().metrics());
    }

    /** Writes {@code model} with {@code metrics} in its card (e.g. its out-of-sample scores). */
    public static void save(Model model, Path dir, Map<String, Double> metrics) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new InvalidInputException("cannot save a model into " + dir + ": the directory is not empty");
                }
            }
            List<String> files = model.writeFiles(dir);
            ModelCard card = model.card().withFiles(files).withMetrics(metrics);
            writeCard(dir, card);
            writeChecksums(dir);
        } catch (IOException e) {
            throw new ForesailException("cannot save model to " + dir + ": " + e.getMessage(), e);
        }
    }

    public static void writeCard(Path dir, ModelCard card) throws IOException {
        Files.write(dir.resolve(ModelCard.FILE), Json.SORTED_PRETTY.writeValueAsBytes(card));
    }

    /** Writes {@code checksums.sha256} over every regular file below {@code dir} (itself aside), sorted by path. */
    public static void writeChecksums(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : digests(dir).entrySet()) {
            b.append(e.getValue()).append("  ").append(e.getKey()).append('\n');
        }
        Files.writeString(dir.resolve(CHECKSUMS), b.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Checks every file listed in {@code checksums.sha256} and that no unlisted file is present.
     *
     * @throws ModelIntegrityException naming the first file that is missing, altered or unexpected
     */
    public static void verify(Path dir) {
        Path list = dir.resolve(CHECKSUMS);
        Map<String, String> expected = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                int sep = line.indexOf("  ");
                if (sep != 64) {
                    throw new ModelIntegrityException(list + ": malformed line '" + line + "'");
                }
                expected.put(line.substring(sep + 2), line.substring(0, sep));
            }
            Map<String, String> actual = digests(dir);
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String got = actual.get(e.getKey());
                if (got == null) {
                    throw new ModelIntegrityException(dir.resolve(e.getKey()) + " is missing");
                }
                if (!got.equals(e.getValue())) {
                    throw new ModelIntegrityException(dir.resolve(e.getKey()) + " fails its checksum: expected "
                            + e.getValue() + ", found " + got);
                }
            }
            for (String f : actual.keySet()) {
                if (!expected.containsKey(f)) {
                    throw new ModelIntegrityException(dir.resolve(f) + " is not listed in " + CHECKSUMS);
                }
            }
        } catch (NoSuchFileException e) {
            throw new ModelIntegrityException(dir + " is not a model artifact: " + e.getFile() + " is missing");
        } catch (java.io.UncheckedIOException e) {
            // A file or directory that went away while being read (a directory walk, a digest): as
            // missing as one never there; the model cache's installers move damaged copies aside.
            if (e.getCause() instanceof NoSuchFileException gone) {
                throw new ModelIntegrityException(dir + " is not a model artifact: " + gone.getFile() + " is missing");
            }
            throw new ForesailException("cannot read model artifact " + dir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ForesailException("cannot read model artifact " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code model.json} (without verifying checksums). */
    public static ModelCard readCard(Path dir) {
        Path file = dir.resolve(ModelCard.FILE);
        try {
            return Json.MAPPER.readValue(file.toFile(), ModelCard.class);
        } catch (IOException e) {
            throw new InvalidInputException(file + " is not a valid model card: " + e.getMessage(), e);
        }
    }

    /** Verifies and loads the model in {@code dir}; the caller closes it. */
    public static Model load(Path dir) {
        verify(dir);
        ModelCard card = readCard(dir);
        ModelType type = ModelTypes.all().get(card.type());
        if (type == null) {
            throw new InvalidInputException(dir + ": model type '" + card.type() + "' is not on this classpath; known types: "
                    + ModelTypes.all().keySet());
        }
        return type.load(dir, card);
    }

    /** SHA-256 of every regular file below {@code dir} except the checksum list, by relative path ('/'). */
    public static Map<String, String> digests(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            if (!rel.equals(CHECKSUMS)) {
                out.put(rel, Sha256.read(f));
            }
        }
        return out;
    }

}
