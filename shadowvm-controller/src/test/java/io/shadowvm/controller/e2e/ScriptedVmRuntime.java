package io.shadowvm.controller.e2e;

import io.shadowvm.agent.VmRuntime;
import io.shadowvm.core.ShadowVmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the VM layer (driver + sync) of one host, scripted by the test: primaries' epochs and
 * shadows' acknowledged epochs move only when the test says so, so controller decisions (which shadow is
 * promoted, what RPO is recorded) can be asserted exactly. Everything above it — agent, gRPC, controller,
 * ZooKeeper — is real. Thread-safe: the agent thread and the test thread both touch it.
 */
final class ScriptedVmRuntime implements VmRuntime {
    static final class Inst {
        final String vm;
        volatile boolean primary;
        volatile long generation;
        volatile long epoch;
        volatile boolean serving;
        volatile String state = "running";
        volatile boolean replicating;

        Inst(String vm, boolean primary, long generation, boolean serving) {
            this.vm = vm;
            this.primary = primary;
            this.generation = generation;
            this.serving = serving;
        }
    }

    private final String host;
    private final Map<String, Inst> instances = new ConcurrentHashMap<>();
    final List<String> stopped = java.util.Collections.synchronizedList(new ArrayList<>());

    ScriptedVmRuntime(String host) {
        this.host = host;
    }

    Inst instance(String vm) {
        return instances.get(vm);
    }

    @Override
    public String startPrimary(String vm, int vcpus, long memoryMib, long generation, String guestKind) {
        instances.compute(vm, (k, old) -> old != null && old.primary && old.generation == generation ? old
            : new Inst(vm, true, generation, true));
        return host + ":8080";
    }

    @Override
    public String openShadow(String vm, long generation, boolean serving, String guestKind, long memoryMib) {
        instances.compute(vm, (k, old) -> old != null && !old.primary && old.generation == generation ? old
            : new Inst(vm, false, generation, serving));
        return host + ":9000";
    }

    @Override
    public void startReplication(String vm, long generation, String shadowHost, String sinkAddress) {
        Inst i = instances.get(vm);
        if (i == null || !i.primary) {
            throw new ShadowVmException("no primary of " + vm + " on " + host);
        }
        i.replicating = true;
    }

    @Override
    public Promotion promote(String vm, long generation) {
        Inst i = instances.get(vm);
        if (i == null || i.primary) {
            throw new ShadowVmException("no shadow of " + vm + " on " + host + " to promote");
        }
        i.primary = true;
        i.generation = generation;
        i.serving = true;
        return new Promotion(i.epoch, host + ":8080");
    }

    @Override
    public void stop(String vm, long generation) {
        Inst i = instances.get(vm);
        if (i != null && i.generation <= generation) {
            stopped.add(vm + "@g" + i.generation + (i.primary ? "/primary" : "/shadow"));
            instances.remove(vm);
        }
    }

    @Override
    public List<Instance> instances() {
        List<Instance> out = new ArrayList<>();
        for (Inst i : instances.values()) {
            out.add(new Instance(i.vm, i.primary, i.generation, i.epoch, 0, i.serving,
                i.serving ? host + (i.primary ? ":8080" : ":8081") : "", i.primary ? "" : host + ":9000", i.state));
        }
        return out;
    }

    @Override
    public String describe() {
        return "scripted VM layer (test)";
    }

    @Override
    public void close() {
    }
}
