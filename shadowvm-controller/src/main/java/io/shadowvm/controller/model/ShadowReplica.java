package io.shadowvm.controller.model;

/**
 * One shadow of a VM.
 *
 * @param ackedEpoch  the newest epoch this shadow applied whole (0: none yet)
 * @param lagMs       age of {@code ackedEpoch} as the shadow's agent reported it
 * @param syncAddress host:port of its sync sink, once its agent reported it
 */
public record ShadowReplica(String host, ShadowState state, long ackedEpoch, long lagMs, boolean serving,
                            String syncAddress) {
    public static ShadowReplica syncing(String host, boolean serving) {
        return new ShadowReplica(host, ShadowState.SYNCING, 0, 0, serving, "");
    }

    public ShadowReplica withState(ShadowState next, String vm) {
        return new ShadowReplica(host, state.moveTo(next, vm, host), ackedEpoch, lagMs, serving, syncAddress);
    }

    public ShadowReplica withProgress(long epoch, long lag) {
        return new ShadowReplica(host, state, Math.max(ackedEpoch, epoch), lag, serving, syncAddress);
    }

    public ShadowReplica withSyncAddress(String address) {
        return new ShadowReplica(host, state, ackedEpoch, lagMs, serving, address);
    }
}
