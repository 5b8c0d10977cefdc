package io.shadowvm.monitor.export;

import io.shadowvm.core.ShadowVmException;

/** A telemetry batch that is corrupt or outside its bounds; the message names the value and the bound. */
public final class TelemetryFormatException extends ShadowVmException {
    private static final long serialVersionUID = 1L;

    public TelemetryFormatException(String message) {
        super(message);
    }
}
