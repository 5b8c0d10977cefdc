package io.shadowvm.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.agent.CommandExecutor;
import io.shadowvm.agent.VmRuntime;
import io.shadowvm.api.proto.Command;
import io.shadowvm.api.proto.CommandOutcome;
import io.shadowvm.api.proto.OutcomeStatus;
import io.shadowvm.api.proto.Promote;
import io.shadowvm.api.proto.StartShadowSync;
import io.shadowvm.core.time.ManualClock;
import io.shadowvm.core.ShadowVmException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestKindDispatcherTest {
    /** Records what reached it; answers with its kind in every address. */
    static final class Recording implements VmRuntime {
        final String kind;
        final List<String> calls = new ArrayList<>();
        boolean closed;

        Recording(String kind) {
            this.kind = kind;
        }

        @Override
        public String startPrimary(String vm, int vcpus, long memoryMib, long generation, String guestKind) {
            calls.add("start " + vm + " " + guestKind + " " + memoryMib);
            return kind + ":1";
        }

        @Override
        public String openShadow(String vm, long generation, boolean serving, String guestKind, long memoryMib) {
            calls.add("shadow " + vm + " " + guestKind + " " + memoryMib);
            return kind + ":2";
        }

        @Override
        public void startReplication(String vm, long generation, String shadowHost, String sinkAddress) {
            calls.add("replicate " + vm + " " + sinkAddress);
        }

        @Override
        public Promotion promote(String vm, long generation) {
            calls.add("promote " + vm);
            return new Promotion(5, kind + ":3");
        }

        @Override
        public void stop(String vm, long generation) {
            calls.add("stop " + vm);
        }

        @Override
        public int doWork() {
            return 1;
        }

        @Override
        public List<Instance> instances() {
            return List.of(new Instance(kind + "-vm", true, 1, 0, 0, true, kind + ":1", "", "running"));
        }

        @Override
        public String describe() {
            return kind + " runtime";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final Recording process = new Recording("process");
    private final Recording qemu = new Recording("qemu");
    private final GuestKindDispatcher d = GuestKindDispatcher.of(process, qemu);

    @Test
    void eachVmGoesToTheRuntimeOfItsGuestKindForEveryLaterCommand() {
        assertThat(d.startPrimary("web", 1, 128, 1, "qemu")).isEqualTo("qemu:1");
        assertThat(d.startPrimary("kv", 1, 16, 1, "process")).isEqualTo("process:1");
        assertThat(d.openShadow("db", 1, false, "qemu", 96)).isEqualTo("qemu:2");
        d.startReplication("web", 1, "h2", "h2:9");
        assertThat(d.promote("db", 2)).isEqualTo(new VmRuntime.Promotion(5, "qemu:3"));
        d.stop("kv", 1);
        assertThat(qemu.calls).containsExactly("start web qemu 128", "shadow db qemu 96", "replicate web h2:9", "promote db");
        assertThat(process.calls).containsExactly("start kv process 16", "stop kv");
        assertThat(d.kindOf("web")).isEqualTo("qemu");
        assertThat(d.instances()).extracting(VmRuntime.Instance::vm).containsExactly("process-vm", "qemu-vm");
        assertThat(d.doWork()).isEqualTo(2);
        assertThat(d.describe()).isEqualTo("by guest kind: process → process runtime; qemu → qemu runtime");
    }

    @Test
    void theAgentsCommandsReachTheQemuRuntimeWithTheGuestKindAndMemoryTheControllerSent() {
        CommandExecutor shadowHost = new CommandExecutor("h2", d, null, new ManualClock());
        CommandOutcome o = shadowHost.execute(Command.newBuilder().setId("sync/web/g1/h2/sink").setFencingEpoch(1)
            .setStartShadowSync(StartShadowSync.newBuilder().setVm("web").setPrimaryHost("h1").setShadowHost("h2")
                .setVmGeneration(1).setGuestKind("qemu").setMemoryMib(96)).build());
        assertThat(o.getStatus()).isEqualTo(OutcomeStatus.OUTCOME_STATUS_OK);
        assertThat(o.getAddress()).isEqualTo("qemu:2");
        CommandOutcome p = shadowHost.execute(Command.newBuilder().setId("promote/web/g2").setFencingEpoch(1)
            .setPromote(Promote.newBuilder().setVm("web").setVmGeneration(2)).build());
        assertThat(p.getAddress()).isEqualTo("qemu:3");
        assertThat(qemu.calls).containsExactly("shadow web qemu 96", "promote web");
        assertThat(process.calls).isEmpty();
    }

    @Test
    void anEmptyGuestKindIsAProcessGuestAsOlderControllersSendNone() {
        d.openShadow("kv", 1, false, "", 0);
        d.promote("kv", 2);
        assertThat(process.calls).containsExactly("shadow kv process 0", "promote kv");
        assertThat(qemu.calls).isEmpty();
    }

    @Test
    void aKindNoRuntimeRunsIsRefusedNamingTheKindsThatAre() {
        assertThatThrownBy(() -> d.startPrimary("web", 1, 128, 1, "firecracker")).isInstanceOf(ShadowVmException.class)
            .hasMessage("guest kind 'firecracker' of web is not run here (expected one of: process, qemu)");
        assertThatThrownBy(() -> d.promote("ghost", 2)).isInstanceOf(ShadowVmException.class)
            .hasMessage("ghost is unknown on this host (no primary started and no shadow opened here)");
        assertThat(d.kindOf("web")).as("a refused VM is not remembered").isNull();
    }

    @Test
    void stoppingAVmNeverSeenHereAsksEveryRuntimeAndClosingClosesAll() {
        d.stop("ghost", 3);
        assertThat(process.calls).containsExactly("stop ghost");
        assertThat(qemu.calls).containsExactly("stop ghost");
        d.close();
        assertThat(process.closed).isTrue();
        assertThat(qemu.closed).isTrue();
    }
}
