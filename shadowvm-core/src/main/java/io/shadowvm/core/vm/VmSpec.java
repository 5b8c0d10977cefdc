package io.shadowvm.core.vm;

import java.util.List;

/**
 * What a user asks for: one VM and its shadow policy.
 *
 * @param networkMbps       expected network demand of the VM's service
 * @param communicatesWith  names of VMs this one talks to (keeps their primaries near; feeds the predictor)
 */
public record VmSpec(String name, int vcpus, long memoryMib, double networkMbps, ShadowPolicy policy,
                     List<String> communicatesWith) {
    public VmSpec {
        communicatesWith = List.copyOf(communicatesWith);
    }

    /** vCPUs a shadow reserves on its host: serving shadows run an instance, standby ones do not. */
    public int shadowVcpus() {
        return policy.mode() == ShadowMode.SERVING ? vcpus : 0;
    }
}
