package io.shadowvm.hypervisor.checkpoint;

import io.shadowvm.hypervisor.HypervisorException;

/** A device-state blob or epoch frame failed its checks (magic, version, length bound, CRC32C); it is never applied. */
public final class CorruptCheckpointException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    public CorruptCheckpointException(String message) {
        super(message);
    }
}
