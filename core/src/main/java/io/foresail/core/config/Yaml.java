package io.foresail.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.foresail.core.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Strict YAML loading for configuration files. Unknown fields are errors (a typo must not silently
 * fall back to a default), and every error names the file, the field path and the line.
 */
public final class Yaml {
    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .findAndRegisterModules();

    private Yaml() {
    }

    /** Reads {@code file} into {@code type}, or throws an {@link InvalidInputException} saying where and why. */
    public static <T> T read(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(Files.readString(file), type);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": file not found");
        } catch (JsonMappingException e) {
            throw new InvalidInputException(describe(file, e), e);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a YAML resource shipped on the classpath (the embedded defaults, {@code foresail/config/...}).
     */
    public static <T> T readResource(String resource, Class<T> type) {
        try (InputStream in = Yaml.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new InvalidInputException("embedded resource " + resource + " is missing from the build");
            }
            return MAPPER.readValue(in, type);
        } catch (JsonMappingException e) {
            throw new InvalidInputException(describe(Path.of("classpath:" + resource), e), e);
        } catch (IOException e) {
            throw new InvalidInputException("classpath:" + resource + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String describe(Path file, JsonMappingException e) {
        String field = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String line = e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : "";
        String what;
        if (e instanceof UnrecognizedPropertyException u) {
            what = "unknown field '" + u.getPropertyName() + "'; known fields: " + u.getKnownPropertyIds();
        } else {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            what = root instanceof InvalidInputException ? root.getMessage() : e.getOriginalMessage();
        }
        return file + ": field '" + field + "'" + line + ": " + what;
    }
}
