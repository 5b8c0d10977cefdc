package io.shadowvm.agent.runtime;

import io.shadowvm.agent.VmRuntime;
import io.shadowvm.core.ShadowVmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One agent, several kinds of guests: routes each VM to the runtime of its guest kind ({@code "process"} →
 * {@link ProcessGuestRuntime}, {@code "qemu"} → {@link QemuGuestRuntime}). The kind of a VM is learnt from
 * {@link #startPrimary} and {@link #openShadow} (an empty kind is {@code "process"}, as older controllers send
 * none) and remembered, so {@link #startReplication}, {@link #promote} and {@link #stop} reach the same runtime.
 * Called on the agent's VM thread only, like every runtime.
 */
public final class GuestKindDispatcher implements VmRuntime {
    /** The kind an empty guest kind stands for. */
    public static final String DEFAULT_KIND = "process";

    private final Map<String, VmRuntime> byKind;
    private final Map<String, String> kindOfVm = new HashMap<>();

    /** @param byKind the runtime of each guest kind, e.g. {@code Map.of("process", processRuntime, "qemu", qemuRuntime)} */
    public GuestKindDispatcher(Map<String, VmRuntime> byKind) {
        if (byKind.isEmpty()) {
            throw new ShadowVmException("a guest-kind dispatcher needs at least one runtime");
        }
        this.byKind = new LinkedHashMap<>(byKind);
    }

    /** The usual pair: process guests and QEMU guests. */
    public static GuestKindDispatcher of(VmRuntime process, VmRuntime qemu) {
        Map<String, VmRuntime> m = new LinkedHashMap<>();
        m.put("process", process);
        m.put("qemu", qemu);
        return new GuestKindDispatcher(m);
    }

    private VmRuntime forKind(String vm, String guestKind) {
        String kind = guestKind == null || guestKind.isEmpty() ? DEFAULT_KIND : guestKind;
        VmRuntime r = byKind.get(kind);
        if (r == null) {
            throw new ShadowVmException("guest kind '" + kind + "' of " + vm + " is not run here (expected one of: "
                + String.join(", ", byKind.keySet()) + ")");
        }
        return r;
    }

    private VmRuntime forVm(String vm) {
        String kind = kindOfVm.get(vm);
        if (kind == null) {
            throw new ShadowVmException(vm + " is unknown on this host (no primary started and no shadow opened here)");
        }
        return byKind.get(kind);
    }

    private void remember(String vm, String guestKind) {
        kindOfVm.put(vm, guestKind == null || guestKind.isEmpty() ? DEFAULT_KIND : guestKind);
    }

    @Override
    public String startPrimary(String vm, int vcpus, long memoryMib, long generation, String guestKind) {
        String address = forKind(vm, guestKind).startPrimary(vm, vcpus, memoryMib, generation,
            guestKind == null || guestKind.isEmpty() ? DEFAULT_KIND : guestKind);
        remember(vm, guestKind);
        return address;
    }

    @Override
    public String openShadow(String vm, long generation, boolean serving, String guestKind, long memoryMib) {
        String address = forKind(vm, guestKind).openShadow(vm, generation, serving,
            guestKind == null || guestKind.isEmpty() ? DEFAULT_KIND : guestKind, memoryMib);
        remember(vm, guestKind);
        return address;
    }

    @Override
    public void startReplication(String vm, long generation, String shadowHost, String sinkAddress) {
        forVm(vm).startReplication(vm, generation, shadowHost, sinkAddress);
    }

    @Override
    public Promotion promote(String vm, long generation) {
        return forVm(vm).promote(vm, generation);
    }

    /** Stops {@code vm} where it runs; a VM never seen here is stopped in every runtime (each ignores it). */
    @Override
    public void stop(String vm, long generation) {
        String kind = kindOfVm.get(vm);
        if (kind != null) {
            byKind.get(kind).stop(vm, generation);
        } else {
            byKind.values().forEach(r -> r.stop(vm, generation));
        }
    }

    @Override
    public int doWork() {
        int work = 0;
        RuntimeException failed = null;
        for (VmRuntime r : byKind.values()) {
            try {
                work += r.doWork();
            } catch (RuntimeException e) {
                failed = e; // one runtime's failure must not stop the other's epochs
            }
        }
        if (failed != null) {
            throw failed;
        }
        return work;
    }

    @Override
    public List<Instance> instances() {
        List<Instance> out = new ArrayList<>();
        for (VmRuntime r : byKind.values()) {
            out.addAll(r.instances());
        }
        return out;
    }

    /** The guest kind {@code vm} was started or shadowed with here, or null. */
    public String kindOf(String vm) {
        return kindOfVm.get(vm);
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder("by guest kind: ");
        byKind.forEach((k, r) -> b.append(k).append(" → ").append(r.describe()).append("; "));
        return b.substring(0, b.length() - 2);
    }

    /** Closes every runtime (the last one first), even when one fails. */
    @Override
    public void close() {
        List<VmRuntime> rs = new ArrayList<>(byKind.values());
        RuntimeException failed = null;
        for (int i = rs.size() - 1; i >= 0; i--) {
            try {
                rs.get(i).close();
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
