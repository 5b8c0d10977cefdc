package io.shadowvm.controller.model;

import io.shadowvm.core.vm.VmSpec;

/** Desired state of one VM: what the user asked for (persisted), and which guest kind runs it. */
public record VmDesired(VmSpec spec, String guest, long createdAtMs) {
    public String name() {
        return spec.name();
    }
}
