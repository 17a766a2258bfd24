package io.foresail.trading.broker;

import io.foresail.core.error.ForesailException;

/**
 * A venue refused or could not answer a request. {@code code} is the venue's own error code (Alpaca's
 * {@code 40310000}-style codes; 0 when there is none); {@code retryable} says whether the same
 * request may be sent again (after looking the order up by its client id, never blindly).
 */
public class BrokerException extends ForesailException {
    private final int code;
    private final boolean retryable;

    public BrokerException(String message, int code, boolean retryable) {
        super(message);
        this.code = code;
        this.retryable = retryable;
    }

    public int code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
