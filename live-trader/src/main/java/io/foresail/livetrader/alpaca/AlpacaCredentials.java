package io.foresail.livetrader.alpaca;

import io.foresail.core.error.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * An Alpaca key pair. Comes only from the environment ({@code APCA_API_KEY_ID},
 * {@code APCA_API_SECRET_KEY}) or a secret file; {@link #toString} masks both, and nothing in this
 * package puts either into a log line, an exception or a file.
 */
public final class AlpacaCredentials {
    private final String keyId;
    private final String secretKey;

    public AlpacaCredentials(String keyId, String secretKey) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
        if (keyId.isBlank() || secretKey.isBlank()) {
            throw new InvalidInputException("Alpaca credentials are empty");
        }
    }

    /** From {@code APCA_API_KEY_ID} and {@code APCA_API_SECRET_KEY}; the message names what is missing, never a value. */
    public static AlpacaCredentials fromEnvironment(Map<String, String> env) {
        String key = env.get("APCA_API_KEY_ID");
        String secret = env.get("APCA_API_SECRET_KEY");
        if (key == null || secret == null) {
            throw new InvalidInputException("Alpaca credentials missing: set APCA_API_KEY_ID and APCA_API_SECRET_KEY, "
                    + "or give a secret file");
        }
        return new AlpacaCredentials(key, secret);
    }

    /**
     * From a secret file of {@code APCA_API_KEY_ID=...} and {@code APCA_API_SECRET_KEY=...} lines
     * (others and {@code #} comments ignored).
     */
    public static AlpacaCredentials fromFile(Path file) {
        try {
            Map<String, String> values = new java.util.HashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (!l.startsWith("#") && eq > 0) {
                    values.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
                }
            }
            if (!values.containsKey("APCA_API_KEY_ID") || !values.containsKey("APCA_API_SECRET_KEY")) {
                throw new InvalidInputException("secret file " + file + " must hold APCA_API_KEY_ID=... and APCA_API_SECRET_KEY=... lines");
            }
            return new AlpacaCredentials(values.get("APCA_API_KEY_ID"), values.get("APCA_API_SECRET_KEY"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret file " + file, e);
        }
    }

    String keyId() {
        return keyId;
    }

    String secretKey() {
        return secretKey;
    }

    @Override
    public String toString() {
        return "AlpacaCredentials[keyId=***, secretKey=***]";
    }
}
