package io.shadowvm.monitor.probe;

import io.shadowvm.core.ShadowVmException;

/** A probe frame or probe configuration outside its bounds; the message names the value and the bound. */
public final class ProbeFrameException extends ShadowVmException {
    private static final long serialVersionUID = 1L;

    public ProbeFrameException(String message) {
        super(message);
    }
}
