package io.shadowvm.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.HostRecord;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import io.shadowvm.core.vm.ShadowMode;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.core.vm.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZkClusterStoreTest {
    static VmDesired desired(String name) {
        return new VmDesired(new VmSpec(name, 2, 512, 100, ShadowPolicy.of(2, ShadowMode.SERVING), List.of("db")),
            "process", 1_000);
    }

    static VmPlacement placement(String name) {
        return new VmPlacement(name, VmPhase.RUNNING, "h1", 3, 17, "127.0.0.1:8080",
            List.of(new ShadowReplica("h4", ShadowState.IN_SYNC, 16, 12, true, "127.0.0.1:9000")), 5);
    }

    @Test
    void everythingWrittenIsReadBackByANewConnection() throws Exception {
        try (TestingServer zk = new TestingServer(true)) {
            try (CuratorFramework c = ZooKeeperConnection.connect(zk.getConnectString(), 10_000)) {
                ZkClusterStore store = new ZkClusterStore(c);
                store.putDesired(desired("web"));
                store.putPlacement(placement("web"));
                store.putHost(new HostRecord("h1", "a1", "127.0.0.1:7000", 8, 4096, 5));
                assertThat(store.raiseFencingEpoch("h1")).isEqualTo(1);
                assertThat(store.raiseFencingEpoch("h1")).isEqualTo(2);
                store.appendFailover(new FailoverRecord("web", "h1", "h4", 4, 16, 420, 1, 10, 430));
            }
            try (CuratorFramework c = ZooKeeperConnection.connect(zk.getConnectString(), 10_000)) {
                ZkClusterStore store = new ZkClusterStore(c);
                assertThat(store.desired()).containsEntry("web", desired("web"));
                assertThat(store.placements()).containsEntry("web", placement("web"));
                assertThat(store.hosts()).containsKey("h1");
                assertThat(store.fencingEpoch("h1")).isEqualTo(2);
                assertThat(store.fencingEpoch("h9")).isZero();
                assertThat(store.failovers()).extracting(FailoverRecord::rtoMs).containsExactly(420L);
                store.deleteDesired("web");
                store.deletePlacement("web");
                assertThat(store.desired()).isEmpty();
                assertThat(store.placements()).isEmpty();
            }
        }
    }

    @Test
    void theEmbeddedServerKeepsStateInItsDataDirectoryAcrossRestarts(@TempDir Path dir) {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
             CuratorFramework c = ZooKeeperConnection.connect(zk.connectString(), 10_000)) {
            new ZkClusterStore(c).putDesired(desired("web"));
        }
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
             CuratorFramework c = ZooKeeperConnection.connect(zk.connectString(), 10_000)) {
            assertThat(new ZkClusterStore(c).desired()).containsOnlyKeys("web");
        }
    }

    @Test
    void twoControllersOnOneEnsembleElectExactlyOneLeaderAndTheOtherTakesOver() throws Exception {
        try (TestingServer zk = new TestingServer(true);
             CuratorFramework c1 = ZooKeeperConnection.connect(zk.getConnectString(), 10_000);
             CuratorFramework c2 = ZooKeeperConnection.connect(zk.getConnectString(), 10_000)) {
            LeaderElection a = new LeaderElection(c1, "ctl-a");
            LeaderElection b = new LeaderElection(c2, "ctl-b");
            Await.until(Duration.ofSeconds(20), () -> a.isLeader() || b.isLeader());
            assertThat(a.isLeader() && b.isLeader()).isFalse();
            LeaderElection leader = a.isLeader() ? a : b;
            LeaderElection follower = leader == a ? b : a;
            assertThat(follower.leaderId()).isEqualTo(leader.id());
            leader.close();
            Await.until(Duration.ofSeconds(20), follower::isLeader);
            follower.close();
        }
    }
}
