package io.foresail.core.error;

/**
 * Bad input from a user or a file: a config field, a CSV row, a command-line value. The message
 * names where (file, row, field) and what is wrong.
 */
public class InvalidInputException extends ForesailException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
