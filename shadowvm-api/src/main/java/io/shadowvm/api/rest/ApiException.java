package io.shadowvm.api.rest;

import io.shadowvm.core.ShadowVmException;

/**
 * A request the API refuses: bad input (400), a missing resource (404), a conflict (409), or "not the
 * leader" (503). {@code field} names the offending JSON field when there is one.
 */
public class ApiException extends ShadowVmException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String field;

    public ApiException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiException badField(String field, String message) {
        return new ApiException(400, field, field + ": " + message);
    }

    public static ApiException notFound(String what, String name) {
        return new ApiException(404, null, "no " + what + " named '" + name + "'");
    }

    public int status() {
        return status;
    }

    /** The JSON field at fault, or {@code null}. */
    public String field() {
        return field;
    }
}
