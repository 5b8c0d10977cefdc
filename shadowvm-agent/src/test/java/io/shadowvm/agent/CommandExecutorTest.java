package io.shadowvm.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.api.proto.Command;
import io.shadowvm.api.proto.CommandOutcome;
import io.shadowvm.api.proto.CreateVm;
import io.shadowvm.api.proto.Fence;
import io.shadowvm.api.proto.OutcomeStatus;
import io.shadowvm.api.proto.Promote;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandExecutorTest {
    /** Counts calls; one primary at most. */
    static final class CountingRuntime implements VmRuntime {
        final List<String> calls = new ArrayList<>();
        Instance primary;

        @Override
        public String startPrimary(String vm, int vcpus, long memoryMib, long generation, String guestKind) {
            calls.add("start " + vm + " g" + generation);
            primary = new Instance(vm, true, generation, 0, 0, true, "h1:1", "", "running");
            return "h1:1";
        }

        @Override
        public String openShadow(String vm, long generation, boolean serving, String guestKind, long memoryMib) {
            calls.add("shadow " + vm);
            return "h1:2";
        }

        @Override
        public void startReplication(String vm, long generation, String shadowHost, String sinkAddress) {
            calls.add("replicate " + vm);
        }

        @Override
        public Promotion promote(String vm, long generation) {
            throw new ShadowVmException("no shadow of " + vm + " here");
        }

        @Override
        public void stop(String vm, long generation) {
            calls.add("stop " + vm + " g" + generation);
            primary = null;
        }

        @Override
        public List<Instance> instances() {
            return primary == null ? List.of() : List.of(primary);
        }

        @Override
        public String describe() {
            return "counting";
        }

        @Override
        public void close() {
        }
    }

    final CountingRuntime runtime = new CountingRuntime();
    final CommandExecutor executor = new CommandExecutor("h1", runtime, null, new ManualClock());

    static Command create(String id, long epoch, long generation) {
        return Command.newBuilder().setId(id).setFencingEpoch(epoch)
            .setCreateVm(CreateVm.newBuilder().setVm("web").setVcpus(1).setMemoryMib(64).setVmGeneration(generation)
                .setGuestKind("process")).build();
    }

    @Test
    void aRepeatedCommandIdIsAnsweredFromMemoryWithoutActingAgain() {
        CommandOutcome first = executor.execute(create("c1", 1, 1));
        CommandOutcome again = executor.execute(create("c1", 1, 1));
        assertThat(first.getStatus()).isEqualTo(OutcomeStatus.OUTCOME_STATUS_OK);
        assertThat(again).isEqualTo(first);
        assertThat(runtime.calls).containsExactly("start web g1");
    }

    @Test
    void aCommandStampedWithAnOlderFencingEpochIsRejected() {
        executor.adoptEpoch(3);
        CommandOutcome o = executor.execute(create("c1", 2, 1));
        assertThat(o.getStatus()).isEqualTo(OutcomeStatus.OUTCOME_STATUS_REJECTED);
        assertThat(o.getMessage()).isEqualTo("stale fencing epoch 2 (this agent has seen 3)");
        assertThat(runtime.calls).isEmpty();
    }

    @Test
    void afterAFenceTheFencedGenerationIsNeverStartedOrPromotedAgain() {
        executor.execute(create("c1", 1, 1));
        CommandOutcome fence = executor.execute(Command.newBuilder().setId("f").setFencingEpoch(2)
            .setFence(Fence.newBuilder().addVms("web").setReason("test")).build());
        assertThat(fence.getMessage()).contains("stopped 1 stale primaries");
        assertThat(runtime.calls).containsExactly("start web g1", "stop web g1");
        assertThat(executor.execute(create("c2", 2, 1)).getStatus()).isEqualTo(OutcomeStatus.OUTCOME_STATUS_REJECTED);
        Command promote = Command.newBuilder().setId("p").setFencingEpoch(2)
            .setPromote(Promote.newBuilder().setVm("web").setVmGeneration(1)).build();
        assertThat(executor.execute(promote).getMessage()).contains("never serves here again");
        assertThat(executor.execute(create("c3", 2, 2)).getStatus()).isEqualTo(OutcomeStatus.OUTCOME_STATUS_OK);
    }

    @Test
    void aRuntimeFailureBecomesAFailedOutcomeWithItsMessage() {
        Command promote = Command.newBuilder().setId("p").setFencingEpoch(1)
            .setPromote(Promote.newBuilder().setVm("db").setVmGeneration(2)).build();
        CommandOutcome o = executor.execute(promote);
        assertThat(o.getStatus()).isEqualTo(OutcomeStatus.OUTCOME_STATUS_FAILED);
        assertThat(o.getMessage()).isEqualTo("no shadow of db here");
    }
}
