package io.foresail.alpacasim.paper;

import io.foresail.alpaca.wire.AlpacaError;

/**
 * A request the simulator refuses, as Alpaca would: the HTTP status and Alpaca's error body
 * ({@code code} whose first three digits are the status, and a message). Never carries credentials.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient AlpacaError error;

    public ApiException(int code, String message) {
        super(message);
        this.error = new AlpacaError(code, message);
    }

    public static ApiException unprocessable(String message) {
        return new ApiException(42210000, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(40410000, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(40310000, message);
    }

    public AlpacaError error() {
        return error;
    }

    public int status() {
        return error.httpStatus();
    }
}
