package io.foresail.registry.mlflow;

import io.foresail.core.error.ForesailException;

/**
 * A request to the MLflow server failed: the server answered with an error ({@link #errorCode()},
 * e.g. {@code RESOURCE_DOES_NOT_EXIST}, and the HTTP status), or could not be reached after the
 * client's bounded retries ({@link #unreachable()}). Messages name the server and the call, never
 * credentials.
 */
public final class MlflowException extends ForesailException {
    private final int status;
    private final String errorCode;

    MlflowException(String message, int status, String errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status, or 0 when the server was not reached. */
    public int status() {
        return status;
    }

    /** MLflow's {@code error_code}, or an empty string. */
    public String errorCode() {
        return errorCode;
    }

    public boolean unreachable() {
        return status == 0;
    }

    public boolean notFound() {
        return status == 404 || "RESOURCE_DOES_NOT_EXIST".equals(errorCode)
                // An unknown alias is answered as an invalid parameter.
                || ("INVALID_PARAMETER_VALUE".equals(errorCode) && getMessage().contains("not found"));
    }
}
