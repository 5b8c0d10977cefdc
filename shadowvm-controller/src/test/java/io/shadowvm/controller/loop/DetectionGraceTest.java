package io.shadowvm.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.controller.command.AgentAction;
import io.shadowvm.controller.interim.TrendScorer;
import io.shadowvm.controller.model.HostLiveness;
import io.shadowvm.controller.store.InMemoryClusterStore;
import io.shadowvm.controller.wiring.PlacementManagerPlacer;
import io.shadowvm.controller.wiring.RedirectionPolicyWeights;
import io.shadowvm.core.time.ManualClock;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The default detector for a 100 ms heartbeat ({@code LoopConfig.of(100, 100)}) on a manual clock: a host that
 * dropped its connection is failed over within about 0.6 s of silence, one that is silent with its connection up
 * (a stalled agent) only after the connected grace, and silence while the controller itself did not run is
 * not held against anyone.
 */
class DetectionGraceTest {
    final ManualClock clock = new ManualClock();
    final Topology topology = TopologyGenerator.generate(new TopologyGenerator.Spec(1, 3, 2, 1, false, 40, "dc1"));
    final List<AgentAction> sent = new ArrayList<>();
    final List<String> silent = new ArrayList<>();
    ControlLoop loop;

    @BeforeEach
    void start() {
        loop = new ControlLoop(LoopConfig.of(100, 100), clock, clock, "ctl-test", topology, new InMemoryClusterStore(),
            () -> true, () -> "ctl-test", (a, epoch) -> sent.add(a), new PlacementManagerPlacer(topology, 1),
            new TrendScorer(), RedirectionPolicyWeights.withDwellMs(1_000), new EventLog(1_000));
        loop.doWork();
        for (Host h : topology.hosts()) {
            loop.offer(new Inbound.Register(h.name(), "a-" + h.name(), 0, 8, 8192, "", false, List.of(),
                clock.epochMillis(), r -> { }));
        }
        loop.doWork();
        run(2_000);
    }

    void run(long ms) {
        for (long t = 0; t < ms; t += 50) {
            clock.advanceMillis(50);
            for (Host h : topology.hosts()) {
                if (!silent.contains(h.name())) {
                    loop.offer(new Inbound.Heartbeat(h.name(), "a-" + h.name(), 1, clock.epochMillis()));
                }
            }
            loop.doWork();
        }
    }

    @Test
    void aSilentHostWhoseConnectionDroppedIsDeadWithinAboutSixHeartbeats() {
        silent.add("p1r2h1");
        loop.offer(new Inbound.Disconnected("p1r2h1", "a-p1r2h1", clock.epochMillis()));
        run(700);
        assertThat(loop.liveness("p1r2h1")).isEqualTo(HostLiveness.DEAD);
        assertThat(sent).anyMatch(a -> a instanceof AgentAction.Fence f && f.host().equals("p1r2h1"));
    }

    @Test
    void aSilentHostWithItsConnectionOpenIsOnlySuspectedUntilTheConnectedGraceRunsOut() {
        silent.add("p1r2h1");
        run(1_500);
        assertThat(loop.liveness("p1r2h1")).isEqualTo(HostLiveness.SUSPECT);
        assertThat(sent).noneMatch(a -> a instanceof AgentAction.Fence);
        run(1_500);
        assertThat(loop.liveness("p1r2h1")).isEqualTo(HostLiveness.DEAD);
    }

    @Test
    void silenceWhileTheControllerItselfStalledFailsNothingOver() {
        clock.advanceMillis(3_000); // the controller's thread did not run for 3 s; heartbeats were not seen
        loop.doWork();
        run(100);
        for (Host h : topology.hosts()) {
            assertThat(loop.liveness(h.name())).isEqualTo(HostLiveness.ALIVE);
        }
        assertThat(sent).noneMatch(a -> a instanceof AgentAction.Fence);
        assertThat(loop.events().since(0, 100)).anyMatch(e -> e.message().contains("controller stalled"));
    }
}
