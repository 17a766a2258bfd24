package io.foresail.core.error;

/**
 * Base of every error Foresail raises on purpose. Its message is written for the person at the
 * terminal: it names the file, row or field at fault and what is wrong, so the CLI can print it as
 * one line. It never carries secrets.
 */
public class ForesailException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ForesailException(String message) {
        super(message);
    }

    public ForesailException(String message, Throwable cause) {
        super(message, cause);
    }
}
