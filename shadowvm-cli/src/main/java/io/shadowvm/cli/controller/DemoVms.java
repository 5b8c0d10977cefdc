package io.shadowvm.cli.controller;

import io.shadowvm.cli.testbed.TestbedCluster;
import io.shadowvm.controller.Controller;
import io.shadowvm.controller.loop.Inbound;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What both demos ask of the controller about their VMs: create one, is it in sync, wait for something. */
final class DemoVms {
    private DemoVms() {
    }

    /** Creates a 1-vCPU VM through the controller's inbox; a refusal becomes the demo's error. */
    static void create(Controller c, String name, String guest, ShadowPolicy policy, long memoryMib, double networkMbps)
        throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        c.offer(new Inbound.CreateVm(new VmDesired(new VmSpec(name, 1, memoryMib, networkMbps, policy, List.of()), guest,
            System.currentTimeMillis()), done));
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ShadowVmException s ? s : new ShadowVmException("demo: " + e.getCause());
        }
    }

    /** Running, with exactly {@code n} shadows, all in sync past their first epochs. */
    static boolean inSync(Controller c, String vm, int n) {
        VmPlacement p = c.snapshot().placements().get(vm);
        return p != null && p.phase() == VmPhase.RUNNING && p.shadows().size() == n
            && p.shadows().stream().allMatch(s -> s.state() == ShadowState.IN_SYNC && s.ackedEpoch() >= 2);
    }

    /** Shadows of {@code vm} in sync now. */
    static int counted(Controller c, String vm) {
        VmPlacement p = c.snapshot().placements().get(vm);
        return p == null ? 0 : (int) p.shadows().stream().filter(s -> s.state() == ShadowState.IN_SYNC).count();
    }

    /** Waits for {@code cond}; names {@code what} in the demo's error when it does not come. */
    static void await(int seconds, String what, BooleanSupplier cond) {
        if (!TestbedCluster.await(cond, seconds * 1_000L)) {
            throw new ShadowVmException("demo: no " + what + " within " + seconds + " s");
        }
    }
}
