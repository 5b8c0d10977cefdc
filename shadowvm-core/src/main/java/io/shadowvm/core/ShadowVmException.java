package io.shadowvm.core;

/**
 * Base of ShadowVM's typed exceptions for conditions a user can cause or fix (bad input, infeasible
 * requests, unreachable peers). The CLI prints their message without a stack trace; anything that is not
 * a {@code ShadowVmException} is a bug and is printed in full.
 */
public class ShadowVmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ShadowVmException(String message) {
        super(message);
    }

    public ShadowVmException(String message, Throwable cause) {
        super(message, cause);
    }
}
