package io.shadowvm.predict.rnn;

import io.shadowvm.predict.PredictException;

/** The PyTorch engine cannot start here (native library missing or not loadable): callers may fall back to a baseline. */
public final class EngineUnavailableException extends PredictException {
    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
