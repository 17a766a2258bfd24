package io.foresail.livetrader.alpaca;

import io.foresail.trading.broker.BrokerException;

/**
 * An answer from Alpaca that is not a success: the HTTP status, Alpaca's code and message (its
 * body), and the request as method and path (never headers: no credentials). Retryable for 429 and
 * 5xx.
 */
public final class AlpacaApiException extends BrokerException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public AlpacaApiException(int status, int code, String message, String request) {
        super(request + " -> " + status + " " + code + ": " + message, code, status == 429 || status >= 500);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
