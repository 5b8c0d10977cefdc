package io.shadowvm.redirect;

import io.shadowvm.core.ShadowVmException;

/** A user-facing redirection error: bad weights, unknown backends, an unusable address. */
public class RedirectException extends ShadowVmException {
    private static final long serialVersionUID = 1L;

    public RedirectException(String message) {
        super(message);
    }

    public RedirectException(String message, Throwable cause) {
        super(message, cause);
    }
}
