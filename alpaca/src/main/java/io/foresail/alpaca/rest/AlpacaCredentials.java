package io.foresail.alpaca.rest;

import io.foresail.core.error.InvalidInputException;
import java.util.Map;

/**
 * Alpaca API keys, read from {@code APCA_API_KEY_ID} and {@code APCA_API_SECRET_KEY}. The secret
 * never appears in {@link #toString()}, logs or exception messages.
 */
public record AlpacaCredentials(String keyId, String secretKey) {
    public static final String KEY_ENV = "APCA_API_KEY_ID";
    public static final String SECRET_ENV = "APCA_API_SECRET_KEY";

    public static AlpacaCredentials fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static AlpacaCredentials fromEnvironment(Map<String, String> env) {
        String key = env.get(KEY_ENV);
        String secret = env.get(SECRET_ENV);
        if (key == null || key.isBlank() || secret == null || secret.isBlank()) {
            throw new InvalidInputException("Alpaca credentials missing: set " + KEY_ENV + " and " + SECRET_ENV
                    + " in the environment");
        }
        return new AlpacaCredentials(key.trim(), secret.trim());
    }

    /**
     * From a secret file of {@code APCA_API_KEY_ID=...} and {@code APCA_API_SECRET_KEY=...} lines
     * ({@code #} comments and other keys ignored); the message names the file and what is
     * missing, never a value.
     */
    public static AlpacaCredentials fromFile(java.nio.file.Path file) {
        Map<String, String> values = new java.util.HashMap<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8)) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (!l.startsWith("#") && eq > 0) {
                    values.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
                }
            }
        } catch (java.io.IOException e) {
            throw new InvalidInputException("cannot read the secret file " + file + ": " + e.getClass().getSimpleName());
        }
        try {
            return fromEnvironment(values);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("secret file " + file + " must hold " + KEY_ENV + "=... and " + SECRET_ENV
                    + "=... lines");
        }
    }

    @Override
    public String toString() {
        String shown = keyId.length() > 4 ? keyId.substring(0, 4) + "…" : "…";
        return "AlpacaCredentials[keyId=" + shown + ", secretKey=<redacted>]";
    }
}
