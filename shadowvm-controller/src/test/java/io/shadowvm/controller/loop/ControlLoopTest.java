package io.shadowvm.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.controller.command.AgentAction;
import io.shadowvm.controller.failure.PhiConfig;
import io.shadowvm.controller.interim.TrendScorer;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.HostLiveness;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loop alone, on a manual clock: every message is handed in by the test, every action recorded. */
class ControlLoopTest {
    final ManualClock clock = new ManualClock();
    final Topology topology = TopologyGenerator.generate(new TopologyGenerator.Spec(1, 3, 2, 1, false, 40, "dc1"));
    final List<AgentAction> sent = new ArrayList<>();
    final List<String> silent = new ArrayList<>();
    ControlLoop loop;

    @BeforeEach
    void start() {
        LoopConfig config = new LoopConfig(100, 100, 100, 5_000, 1_000, 1_000, new PhiConfig(100, 20, 100, 100, 3, 8));
        loop = new ControlLoop(config, clock, clock, "ctl-test", topology, new InMemoryClusterStore(), () -> true,
            () -> "ctl-test", (a, epoch) -> sent.add(a), new PlacementManagerPlacer(topology, 1), new TrendScorer(),
            RedirectionPolicyWeights.withDwellMs(1_000), new EventLog(1_000));
        loop.doWork();
        for (Host h : topology.hosts()) {
            loop.offer(new Inbound.Register(h.name(), "a-" + h.name(), 0, 8, 8192, "", h.name().equals("p1r3h2"),
                List.of(), clock.epochMillis(), r -> { }));
        }
        loop.doWork();
    }

    /** Advances time in heartbeat steps; every host not in {@link #silent} heartbeats each step. */
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
    void whenMostHostsFallSilentAtOnceNothingIsFailedOver() {
        for (Host h : topology.hosts()) {
            silent.add(h.name());
        }
        run(3_000);
        assertThat(sent).noneMatch(a -> a instanceof AgentAction.Fence);
        assertThat(loop.events().since(0, 100)).anyMatch(e -> e.message().contains("fell silent at once"));
        silent.clear();
        run(500);
        for (Host h : topology.hosts()) {
            assertThat(loop.liveness(h.name())).isEqualTo(HostLiveness.ALIVE);
        }
    }

    @Test
    void oneSilentHostIsDeclaredDeadAndFenced() {
        silent.add("p1r2h1");
        run(3_000);
        assertThat(loop.liveness("p1r2h1")).isEqualTo(HostLiveness.DEAD);
        assertThat(sent).anyMatch(a -> a instanceof AgentAction.Fence f && f.host().equals("p1r2h1"));
        assertThat(loop.liveness("p1r1h1")).isEqualTo(HostLiveness.ALIVE);
    }

    @Test
    void weightsMoveToTheServingShadowBeforeThePrimarysUplinkSaturates() throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        loop.offer(new Inbound.CreateVm(new VmDesired(new VmSpec("web", 1, 64, 10, ShadowPolicy.of(1, ShadowMode.SERVING),
            List.of()), "process", 0), done));
        loop.doWork();
        String primary = done.get();
        run(200);
        VmPlacement p = loop.snapshot().placements().get("web");
        String shadow = p.shadows().get(0).host();
        String uplink = topology.rackOf(topology.host(primary)).uplinkName();
        // the agents report: primary running, shadow applying epochs and serving
        for (long epoch = 1; epoch <= 3; epoch++) {
            loop.offer(new Inbound.Telemetry(primary, "a-" + primary, 1, clock.epochMillis(), List.of(), List.of(),
                List.of(new Inbound.VmReport("web", true, "running", epoch, 0, 1, true, "127.0.0.1:8001", ""))));
            loop.offer(new Inbound.Telemetry(shadow, "a-" + shadow, 1, clock.epochMillis(), List.of(), List.of(),
                List.of(new Inbound.VmReport("web", false, "replica", epoch, 10, 1, true, "127.0.0.1:8002", "127.0.0.1:9002"))));
            run(100);
        }
        assertThat(loop.snapshot().placements().get("web").phase()).isEqualTo(VmPhase.RUNNING);
        // scripted load on the primary's rack uplink: rising 5 points a second from 40%
        double firstShiftAt = Double.NaN;
        for (int s = 0; s < 20 && Double.isNaN(firstShiftAt); s++) {
            double u = 0.40 + 0.05 * s;
            loop.offer(new Inbound.Telemetry(primary, "a-" + primary, 1, clock.epochMillis(),
                List.of(new Inbound.LinkSample(uplink, clock.epochMillis(), u)), List.of(),
                List.of(new Inbound.VmReport("web", true, "running", 3 + s, 0, 1, true, "127.0.0.1:8001", ""))));
            loop.offer(new Inbound.Telemetry(shadow, "a-" + shadow, 1, clock.epochMillis(), List.of(), List.of(),
                List.of(new Inbound.VmReport("web", false, "replica", 3 + s, 10, 1, true, "127.0.0.1:8002", "127.0.0.1:9002"))));
            run(1_000);
            var w = loop.snapshot().weights().get("web");
            if (w != null && w.backends().stream().anyMatch(b -> b.host().equals(shadow) && b.weight() > 0)) {
                firstShiftAt = u;
            }
        }
        assertThat(firstShiftAt).as("utilization when weights first moved to the shadow").isLessThan(0.8);
        assertThat(sent).anyMatch(a -> a instanceof AgentAction.SetWeights sw && sw.host().equals("p1r3h2")
            && sw.weights().getOrDefault(shadow, 0.0) > 0);
    }

    @Test
    void aShadowIsJudgedByProbesFromOutsideThePrimarysRackNotByThePrimarysOwnCongestedPath() throws Exception {
        String[] ps = runningWeb();
        String primary = ps[0];
        String shadow = ps[1];
        String primaryRack = topology.rackOf(topology.host(primary)).name();
        String outside = topology.hosts().stream().map(Host::name).filter(h -> !h.equals(shadow)
            && !topology.rackOf(topology.host(h)).name().equals(primaryRack)).findFirst().orElseThrow();
        String uplink = topology.rackOf(topology.host(primary)).uplinkName();
        // the primary's uplink is full; its probes to the shadow cross it and are lost
        List<Inbound.ProbeSample> fromPrimary = List.of(new Inbound.ProbeSample(shadow, 0, 120_000, 1.0));
        for (int s = 0; s < 6; s++) {
            congested(primary, shadow, uplink, 4 + s, fromPrimary);
        }
        assertThat(shadowWeight(shadow)).as("only the primary's lossy probes: the shadow looks unreachable").isZero();
        // a host on another rack reaches the shadow fine: that is how clients would reach it
        for (int s = 0; s < 6; s++) {
            loop.offer(new Inbound.Telemetry(outside, "a-" + outside, 1, clock.epochMillis(), List.of(),
                List.of(new Inbound.ProbeSample(shadow, clock.epochMillis(), 400, 0)), List.of()));
            congested(primary, shadow, uplink, 10 + s, fromPrimary);
        }
        assertThat(shadowWeight(shadow)).as("weighed by its reachability from outside the primary's rack").isPositive();
    }

    /** One second with the primary's uplink at 95%, both instances reporting epoch {@code epoch}. */
    private void congested(String primary, String shadow, String uplink, long epoch, List<Inbound.ProbeSample> probes) {
        loop.offer(new Inbound.Telemetry(primary, "a-" + primary, 1, clock.epochMillis(),
            List.of(new Inbound.LinkSample(uplink, clock.epochMillis(), 0.95)), probes,
            List.of(new Inbound.VmReport("web", true, "running", epoch, 0, 1, true, "127.0.0.1:8001", "", 77, epoch))));
        loop.offer(new Inbound.Telemetry(shadow, "a-" + shadow, 1, clock.epochMillis(), List.of(), List.of(),
            List.of(new Inbound.VmReport("web", false, "replica", epoch, 10, 1, true, "127.0.0.1:8002", "127.0.0.1:9002"))));
        run(1_000);
    }

    private double shadowWeight(String shadow) {
        var w = loop.snapshot().weights().get("web");
        return w == null ? 0 : w.backends().stream().filter(b -> b.host().equals(shadow)).mapToDouble(b -> b.weight()).sum();
    }

    /** Creates {@code web} (1:1 serving) and reports it running with its shadow in sync at epoch 3; returns {primary, shadow}. */
    String[] runningWeb() throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        loop.offer(new Inbound.CreateVm(new VmDesired(new VmSpec("web", 1, 64, 10, ShadowPolicy.of(1, ShadowMode.SERVING),
            List.of()), "process", 0), done));
        loop.doWork();
        String primary = done.get();
        run(200);
        String shadow = loop.snapshot().placements().get("web").shadows().get(0).host();
        for (long epoch = 1; epoch <= 3; epoch++) {
            loop.offer(new Inbound.Telemetry(primary, "a-" + primary, 1, clock.epochMillis(), List.of(), List.of(),
                List.of(new Inbound.VmReport("web", true, "running", epoch, 0, 1, true, "127.0.0.1:8001", "", 77, epoch))));
            loop.offer(new Inbound.Telemetry(shadow, "a-" + shadow, 1, clock.epochMillis(), List.of(), List.of(),
                List.of(new Inbound.VmReport("web", false, "replica", epoch, 10, 1, true, "127.0.0.1:8002", "127.0.0.1:9002"))));
            run(100);
        }
        assertThat(loop.snapshot().placements().get("web").phase()).isEqualTo(VmPhase.RUNNING);
        return new String[] {primary, shadow};
    }

    @Test
    void aPrimaryWhoseGuestDiedOnALiveHostIsFailedOverAloneAndRecordedAsVmDead() throws Exception {
        String[] hosts = runningWeb();
        String primary = hosts[0];
        String shadow = hosts[1];
        sent.clear();

        loop.offer(new Inbound.Telemetry(primary, "a-" + primary, 1, clock.epochMillis(), List.of(), List.of(),
            List.of(new Inbound.VmReport("web", true, "dead", 3, 0, 1, false, "", "", 77, 3))));
        run(100);

        assertThat(sent).contains(new AgentAction.Promote(shadow, "web", 2, 3));
        assertThat(sent).anyMatch(a -> a instanceof AgentAction.StopVm st && st.host().equals(primary)
            && st.generation() == 1);
        assertThat(sent).noneMatch(a -> a instanceof AgentAction.Fence);
        assertThat(loop.liveness(primary)).isEqualTo(HostLiveness.ALIVE);
        assertThat(loop.snapshot().placements().get("web").generation()).isEqualTo(2);

        loop.offer(new Inbound.Outcome(shadow, "a-" + shadow, "promote/web/g2/" + shadow, true, "", 3, "127.0.0.1:8002",
            clock.epochMillis(), 0x1234));
        run(100);
        FailoverRecord f = loop.snapshot().failovers().get(0);
        assertThat(f.cause()).isEqualTo(FailoverRecord.VM_DEAD);
        assertThat(f.deadHost()).isEqualTo(primary);
        assertThat(f.promotedHost()).isEqualTo(shadow);
        assertThat(f.stateDigest()).isEqualTo(0x1234);
        assertThat(f.rpoEpochs()).isZero();
        assertThat(loop.snapshot().placements().get("web").primaryHost()).isEqualTo(shadow);
        assertThat(loop.events().since(0, 1_000)).anyMatch(e -> e.message().contains("promoted (vm-dead)")
            && e.message().contains("0x0000000000001234"));
    }

    @Test
    void aPrimaryItsAgentNoLongerListsIsFailedOverAfterTwoTelemetryBatches() throws Exception {
        String[] hosts = runningWeb();
        String primary = hosts[0];
        sent.clear();
        loop.offer(new Inbound.Telemetry(primary, "a-" + primary, 1, clock.epochMillis(), List.of(), List.of(), List.of()));
        run(100);
        assertThat(sent).noneMatch(a -> a instanceof AgentAction.Promote);
        loop.offer(new Inbound.Telemetry(primary, "a-" + primary, 1, clock.epochMillis(), List.of(), List.of(), List.of()));
        run(100);
        assertThat(sent).contains(new AgentAction.Promote(hosts[1], "web", 2, 3));
        assertThat(loop.events().since(0, 1_000)).anyMatch(e -> e.message().contains("no longer lists"));
    }
}
