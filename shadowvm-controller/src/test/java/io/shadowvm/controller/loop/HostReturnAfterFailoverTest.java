package io.shadowvm.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.api.rest.Views.EventView;
import io.shadowvm.controller.command.AgentAction;
import io.shadowvm.controller.failure.PhiConfig;
import io.shadowvm.controller.interim.TrendScorer;
import io.shadowvm.controller.model.HostLiveness;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.controller.store.InMemoryClusterStore;
import io.shadowvm.controller.wiring.PlacementManagerPlacer;
import io.shadowvm.controller.wiring.RedirectionPolicyWeights;
import io.shadowvm.core.time.ManualClock;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A host dies, its VM fails over, and the 1:2 VM cannot get its second shadow back: the only rack left is the
 * dead host's. When the fenced agent re-registers (its stale primary is stopped), the host is back in service and
 * the VM's missing shadow is placed there. Three racks of one host each, on a manual clock.
 */
class HostReturnAfterFailoverTest {
    final ManualClock clock = new ManualClock();
    final Topology topology = TopologyGenerator.generate(new TopologyGenerator.Spec(1, 3, 1, 1, false, 40, "dc1"));
    final List<AgentAction> sent = new ArrayList<>();
    final Map<String, String> agentIds = new HashMap<>();
    final Map<String, Long> epochs = new HashMap<>();
    final List<String> silent = new ArrayList<>();
    final PlacementManagerPlacer placer = new PlacementManagerPlacer(topology, 1);
    final ControlLoop loop;

    HostReturnAfterFailoverTest() {
        LoopConfig config = new LoopConfig(100, 100, 100, 5_000, 1_000, 1_000, new PhiConfig(100, 20, 100, 100, 3, 8));
        loop = new ControlLoop(config, clock, clock, "ctl-test", topology, new InMemoryClusterStore(), () -> true,
            () -> "ctl-test", (a, epoch) -> sent.add(a), placer, new TrendScorer(),
            RedirectionPolicyWeights.withDwellMs(1_000), new EventLog(1_000));
        loop.doWork();
        for (Host h : topology.hosts()) {
            register(h.name(), "a-" + h.name(), 0, List.of());
        }
        loop.doWork();
    }

    @Test
    void aDeadHostThatComesBackAfterItsFailoverTakesTheNewShadow() throws Exception {
        CompletableFuture<String> created = new CompletableFuture<>();
        loop.offer(new Inbound.CreateVm(new VmDesired(new VmSpec("db", 1, 64, 10, ShadowPolicy.of(2, ShadowMode.STANDBY),
            List.of()), "process", 0), created));
        loop.doWork();
        String primary = created.get();
        run(200);
        VmPlacement placed = loop.snapshot().placements().get("db");
        String best = placed.shadows().get(0).host();
        String other = placed.shadows().get(1).host();
        // the primary runs at epoch 5; one shadow acknowledged epoch 5, the other epoch 4
        report(primary, new Inbound.VmReport("db", true, "running", 5, 0, 1, false, "127.0.0.1:8001", ""));
        report(best, new Inbound.VmReport("db", false, "replica", 5, 10, 1, false, "", "127.0.0.1:9001"));
        report(other, new Inbound.VmReport("db", false, "replica", 4, 10, 1, false, "", "127.0.0.1:9002"));
        run(200);
        assertThat(loop.snapshot().placements().get("db").phase()).isEqualTo(VmPhase.RUNNING);

        // the primary's host dies: fenced, the shadow with the highest acknowledged epoch is promoted
        silent.add(primary);
        run(3_000);
        assertThat(loop.liveness(primary)).isEqualTo(HostLiveness.DEAD);
        AgentAction.Promote promote = sent.stream().filter(a -> a instanceof AgentAction.Promote)
            .map(a -> (AgentAction.Promote) a).findFirst().orElseThrow();
        assertThat(promote.host()).isEqualTo(best);
        loop.offer(new Inbound.Outcome(best, agentIds.get(best), promote.id(), true, "", 5, "127.0.0.1:8101",
            clock.epochMillis()));
        run(500);
        VmPlacement afterFailover = loop.snapshot().placements().get("db");
        assertThat(afterFailover.primaryHost()).isEqualTo(best);
        assertThat(afterFailover.shadows()).extracting(ShadowReplica::host).containsExactly(other);
        assertThat(messages()).anyMatch(m -> m.startsWith("cannot restore shadow 2 of 2 for db"));
        assertThat(placer.inService(primary)).isFalse();

        // the dead host's agent comes back with its old fencing epoch and its stale primary
        sent.clear();
        silent.remove(primary);
        register(primary, "a-" + primary + "-2", epochs.get(primary),
            List.of(new Inbound.VmReport("db", true, "running", 5, 0, 1, false, "127.0.0.1:8001", "")));
        assertThat(sent).anyMatch(a -> a instanceof AgentAction.Fence f && f.host().equals(primary)
            && f.vms().equals(List.of("db")));
        assertThat(placer.inService(primary)).isTrue();
        run(500);

        VmPlacement reshadowed = loop.snapshot().placements().get("db");
        assertThat(reshadowed.primaryHost()).isEqualTo(best);
        assertThat(reshadowed.shadows()).extracting(ShadowReplica::host).containsExactlyInAnyOrder(other, primary);
        assertThat(reshadowed.shadowOn(primary).state()).isEqualTo(ShadowState.SYNCING);
        assertThat(sent).anyMatch(a -> a instanceof AgentAction.StartShadowSync s && s.host().equals(primary)
            && s.shadowHost().equals(primary) && s.vm().equals("db"));
        assertThat(messages()).anyMatch(m -> m.equals("new shadow placed (restoring 2 shadows)"));
    }

    private void register(String host, String agentId, long epoch, List<Inbound.VmReport> vms) {
        long[] granted = new long[1];
        loop.offer(new Inbound.Register(host, agentId, epoch, 8, 8192, "", false, vms, clock.epochMillis(),
            r -> granted[0] = r.fencingEpoch()));
        loop.doWork();
        agentIds.put(host, agentId);
        epochs.put(host, granted[0]);
    }

    private void report(String host, Inbound.VmReport v) {
        loop.offer(new Inbound.Telemetry(host, agentIds.get(host), epochs.get(host), clock.epochMillis(), List.of(),
            List.of(), List.of(v)));
    }

    /** Advances time in heartbeat steps; every host not in {@link #silent} heartbeats each step. */
    private void run(long ms) {
        for (long t = 0; t < ms; t += 50) {
            clock.advanceMillis(50);
            for (Host h : topology.hosts()) {
                if (!silent.contains(h.name())) {
                    loop.offer(new Inbound.Heartbeat(h.name(), agentIds.get(h.name()), epochs.get(h.name()),
                        clock.epochMillis()));
                }
            }
            loop.doWork();
        }
    }

    private List<String> messages() {
        return loop.events().since(0, 1_000).stream().map(EventView::message).toList();
    }
}
