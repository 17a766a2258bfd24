package io.foresail.models;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.core.error.ForesailException;
import io.foresail.core.error.InvalidInputException;
import io.foresail.core.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where and how a model artifact was made: the code (version, git commit, uncommitted changes), the
 * libraries that fitted it, the Java runtime and the platform, and when. Stored as
 * {@code provenance.json} beside {@code model.json} in a deployable artifact, covered by its
 * checksums, so a registered version answers "what built this?" on its own. Kept out of
 * {@code model.json} because it differs from machine to machine, while the model's bytes must not.
 *
 * @param runtime the Java runtime: version and vendor
 * @param created UTC time the artifact was written
 */
public record ModelProvenance(@JsonProperty("code_version") String codeVersion,
                              @JsonProperty("git_commit") String gitCommit,
                              @JsonProperty("git_dirty") boolean gitDirty,
                              @JsonProperty("libraries") Map<String, String> libraries,
                              @JsonProperty("java") String runtime,
                              @JsonProperty("os") String os,
                              @JsonProperty("arch") String arch,
                              @JsonProperty("created") Instant created) {

    public static final String FILE = "provenance.json";
    /** The PyTorch build DJL runs (its native jar carries no classes to ask). */
    static final String PYTORCH = "2.7.1-cpu";

    public ModelProvenance {
        libraries = libraries == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(libraries));
    }

    /** The provenance of an artifact this process writes now. */
    public static ModelProvenance here(String codeVersion, String gitCommit, boolean gitDirty) {
        return new ModelProvenance(codeVersion, gitCommit, gitDirty, modelLibraries(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("os.arch"),
                Instant.now());
    }

    /** The model libraries on this classpath, by name, as the version in their jar's file name. */
    static Map<String, String> modelLibraries() {
        Map<String, String> out = new TreeMap<>();
        out.put("xgboost4j", jarVersion("ml.dmlc.xgboost4j.java.Booster", "xgboost4j-spark_2.13-"));
        out.put("lightgbm4j", jarVersion("io.github.metarank.lightgbm4j.LGBMBooster", "lightgbm4j-"));
        out.put("djl", jarVersion("ai.djl.Model", "api-"));
        out.put("pytorch", PYTORCH);
        out.put("onnxruntime", jarVersion("ai.onnxruntime.OrtSession", "onnxruntime-"));
        return out;
    }

    private static String jarVersion(String className, String prefix) {
        try {
            Class<?> c = Class.forName(className, false, ModelProvenance.class.getClassLoader());
            String file = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
            return file.startsWith(prefix) && file.endsWith(".jar")
                    ? file.substring(prefix.length(), file.length() - ".jar".length()) : file;
        } catch (ReflectiveOperationException | java.net.URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Writes {@code provenance.json} into an artifact and lists it in the artifact's checksums. */
    public void writeTo(Path artifact) {
        try {
            Files.write(artifact.resolve(FILE), Json.SORTED_PRETTY.writeValueAsBytes(this));
            ModelArtifact.writeChecksums(artifact);
        } catch (IOException e) {
            throw new ForesailException("cannot write " + artifact.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** The provenance of a (verified) artifact, if it has one. */
    public static Optional<ModelProvenance> of(Path artifact) {
        Path file = artifact.resolve(FILE);
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readAllBytes(file), ModelProvenance.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InvalidInputException(file + " is not a valid provenance file: " + e.getMessage(), e);
        }
    }
}
