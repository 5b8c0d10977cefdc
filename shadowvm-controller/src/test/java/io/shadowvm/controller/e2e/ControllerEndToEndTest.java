package io.shadowvm.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.api.proto.Command;
import io.shadowvm.api.proto.OutcomeStatus;
import io.shadowvm.api.proto.Promote;
import io.shadowvm.controller.Controller;
import io.shadowvm.controller.loop.ClusterSnapshot;
import io.shadowvm.controller.loop.Inbound;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.controller.store.Await;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller with real agents over loopback gRPC and an embedded ZooKeeper; only the VM layer under
 * the agents is scripted. Fast: a few seconds each.
 */
class ControllerEndToEndTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    static String create(Controller c, String name, int shadows, ShadowMode mode) throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        c.offer(new Inbound.CreateVm(new VmDesired(new VmSpec(name, 1, 256, 10, ShadowPolicy.of(shadows, mode),
            List.of()), "process", 0), done));
        return done.get(10, TimeUnit.SECONDS);
    }

    static VmPlacement placement(Controller c, String vm) {
        return c.snapshot().placements().get(vm);
    }

    static boolean allShadowsInSync(Controller c, String vm, int n) {
        VmPlacement p = placement(c, vm);
        return p != null && p.phase() == VmPhase.RUNNING && p.shadows().size() == n
            && p.shadows().stream().allMatch(s -> s.state() == ShadowState.IN_SYNC);
    }

    @Test
    void aDeadHostsVmIsPromotedOnTheShadowWithTheHighestAckedEpochAndTheFencedAgentNeverServesIt(@TempDir Path dir)
        throws Exception {
        int port = LoopbackCluster.freePort();
        try (Controller c = Controller.start(LoopbackCluster.controllerContext(LoopbackCluster.topology(), port)
                 .dataDir(dir));
             LoopbackCluster cluster = new LoopbackCluster(LoopbackCluster.topology(), List.of("127.0.0.1:" + port))) {
            Await.until(WAIT, () -> c.snapshot().hosts().size() == 6
                && c.snapshot().hosts().stream().allMatch(h -> h.state().equals("ALIVE")));
            String primary = create(c, "web", 2, ShadowMode.SERVING);
            Await.until(WAIT, () -> placement(c, "web") != null && placement(c, "web").phase() == VmPhase.RUNNING
                && placement(c, "web").shadows().stream().allMatch(s -> !s.syncAddress().isEmpty()));
            VmPlacement p = placement(c, "web");
            String better = p.shadows().get(0).host();
            String worse = p.shadows().get(1).host();
            assertThat(cluster.topology.host(better).rack()).isNotEqualTo(cluster.topology.host(primary).rack());
            cluster.runtime(primary).instance("web").epoch = 12;
            cluster.runtime(better).instance("web").epoch = 11;
            cluster.runtime(worse).instance("web").epoch = 9;
            Await.until(WAIT, () -> allShadowsInSync(c, "web", 2)
                && placement(c, "web").shadowOn(better).ackedEpoch() == 11
                && placement(c, "web").primaryEpoch() == 12);

            cluster.agent(primary).pause(true);

            Await.until(WAIT, () -> c.snapshot().failovers().size() == 1);
            FailoverRecord f = c.snapshot().failovers().get(0);
            assertThat(f.vm()).isEqualTo("web");
            assertThat(f.deadHost()).isEqualTo(primary);
            assertThat(f.promotedHost()).isEqualTo(better);
            assertThat(f.resumedEpoch()).isEqualTo(11);
            assertThat(f.rpoEpochs()).isEqualTo(1);
            assertThat(f.rtoMs()).isPositive();
            VmPlacement after = placement(c, "web");
            assertThat(after.primaryHost()).isEqualTo(better);
            assertThat(after.generation()).isEqualTo(2);
            assertThat(after.phase()).isEqualTo(VmPhase.RUNNING);
            Await.until(WAIT, () -> cluster.ingress.tables.containsKey("web") && cluster.ingress.tables.get("web")
                .stream().anyMatch(b -> b.host().equals(better) && b.weight() == 1.0));
            // the policy's shadow count is restored: the surviving shadow re-syncs and a new one is placed
            try {
                Await.until(WAIT, () -> placement(c, "web").countedShadows() == 2
                    && placement(c, "web").shadowOn(primary) == null);
            } catch (AssertionError e) {
                c.events().since(0, 1000).forEach(System.out::println);
                System.out.println(placement(c, "web"));
                throw e;
            }

            // the old primary comes back with its old epoch: it is fenced and stops its stale primary
            long oldEpoch = cluster.agent(primary).fencingEpoch();
            cluster.agent(primary).pause(false);
            Await.until(WAIT, () -> cluster.runtime(primary).instance("web") == null);
            assertThat(cluster.runtime(primary).stopped).contains("web@g1/primary");
            assertThat(cluster.agent(primary).fencingEpoch()).isGreaterThan(oldEpoch);
            assertThat(cluster.agent(primary).executor().isFenced("web", 1)).isTrue();
            // a command from before the fence is refused, and so is serving the fenced generation again
            Command stale = Command.newBuilder().setId("late-promote").setFencingEpoch(oldEpoch)
                .setPromote(Promote.newBuilder().setVm("web").setVmGeneration(1)).build();
            assertThat(cluster.agent(primary).executor().execute(stale).getStatus())
                .isEqualTo(OutcomeStatus.OUTCOME_STATUS_REJECTED);
            assertThat(placement(c, "web").primaryHost()).isEqualTo(better);
        }
    }

    @Test
    void aRestartedControllerResumesFromTheStoreWithoutDisturbingRunningVms(@TempDir Path dir) throws Exception {
        int port = LoopbackCluster.freePort();
        try (LoopbackCluster cluster = new LoopbackCluster(LoopbackCluster.topology(), List.of("127.0.0.1:" + port))) {
            String primary;
            try (Controller c = Controller.start(LoopbackCluster.controllerContext(cluster.topology, port).dataDir(dir))) {
                Await.until(WAIT, () -> c.snapshot().hosts().size() == 6);
                primary = create(c, "db", 1, ShadowMode.STANDBY);
                Await.until(WAIT, () -> placement(c, "db") != null && placement(c, "db").phase() == VmPhase.RUNNING);
                cluster.runtime(primary).instance("db").epoch = 5;
                String shadow = placement(c, "db").shadows().get(0).host();
                cluster.runtime(shadow).instance("db").epoch = 5;
                Await.until(WAIT, () -> allShadowsInSync(c, "db", 1));
            }
            try (Controller c = Controller.start(LoopbackCluster.controllerContext(cluster.topology, port).dataDir(dir))) {
                Await.until(WAIT, () -> c.isLeader() && c.snapshot().desired().containsKey("db")
                    && c.snapshot().hosts().stream().filter(h -> h.state().equals("ALIVE")).count() == 6);
                VmPlacement p = placement(c, "db");
                assertThat(p.primaryHost()).isEqualTo(primary);
                assertThat(p.generation()).isEqualTo(1);
                assertThat(p.phase()).isEqualTo(VmPhase.RUNNING);
                Await.until(WAIT, () -> allShadowsInSync(c, "db", 1));
                assertThat(c.snapshot().failovers()).isEmpty();
                assertThat(cluster.runtime(primary).stopped).isEmpty();
                assertThat(cluster.runtime(primary).instance("db").generation).isEqualTo(1);
            }
        }
    }

    @Test
    void whenTheLeaderStopsTheOtherControllerTakesOverAndTheAgentsFollowIt() throws Exception {
        try (org.apache.curator.test.TestingServer zk = new org.apache.curator.test.TestingServer(true)) {
            int portA = LoopbackCluster.freePort();
            int portB = LoopbackCluster.freePort();
            Controller a = Controller.start(LoopbackCluster.controllerContext(LoopbackCluster.topology(), portA)
                .zookeeper(zk.getConnectString()).controllerId("ctl-a"));
            Await.until(WAIT, a::isLeader);
            try (Controller b = Controller.start(LoopbackCluster.controllerContext(LoopbackCluster.topology(), portB)
                     .zookeeper(zk.getConnectString()).controllerId("ctl-b"));
                 LoopbackCluster cluster = new LoopbackCluster(LoopbackCluster.topology(),
                     List.of("127.0.0.1:" + portB, "127.0.0.1:" + portA))) {
                assertThat(b.isLeader()).isFalse();
                Await.until(WAIT, () -> b.leaderId().equals("ctl-a"));
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> create(b, "refused", 1, ShadowMode.STANDBY))
                    .hasRootCauseMessage("not the leader (leader: ctl-a)");
                Await.until(WAIT, () -> a.snapshot().hosts().size() == 6);
                String primary = create(a, "api", 1, ShadowMode.SERVING);
                Await.until(WAIT, () -> placement(a, "api") != null && placement(a, "api").phase() == VmPhase.RUNNING);
                assertThat(b.snapshot().placements()).isEmpty();

                a.close();
                Await.until(WAIT, b::isLeader);
                Await.until(WAIT, () -> b.snapshot().hosts().stream().filter(h -> h.state().equals("ALIVE")).count() == 6);
                ClusterSnapshot s = b.snapshot();
                assertThat(s.placements().get("api").primaryHost()).isEqualTo(primary);
                assertThat(s.placements().get("api").generation()).isEqualTo(1);
                Await.until(WAIT, () -> cluster.agent(primary).controllerId().equals("ctl-b"));
                assertThat(s.failovers()).isEmpty();
            } finally {
                a.close();
            }
        }
    }
}
