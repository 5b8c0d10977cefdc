package io.shadowvm.predict;

import io.shadowvm.core.ShadowVmException;

/** A user-facing prediction error: bad data file, unknown dataset or model, mismatched artifact. */
public class PredictException extends ShadowVmException {
    private static final long serialVersionUID = 1L;

    public PredictException(String message) {
        super(message);
    }

    public PredictException(String message, Throwable cause) {
        super(message, cause);
    }
}
