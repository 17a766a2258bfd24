package io.foresail.data.alpaca;

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

    @Override
    public String toString() {
        String shown = keyId.length() > 4 ? keyId.substring(0, 4) + "…" : "…";
        return "AlpacaCredentials[keyId=" + shown + ", secretKey=<redacted>]";
    }
}
