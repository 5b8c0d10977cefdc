package io.shadowvm.controller;

import io.shadowvm.controller.grpc.AgentGateway;
import io.shadowvm.controller.loop.ClusterSnapshot;
import io.shadowvm.controller.loop.CongestionScorer;
import io.shadowvm.controller.loop.ControlLoop;
import io.shadowvm.controller.loop.EventLog;
import io.shadowvm.controller.loop.Inbound;
import io.shadowvm.controller.loop.LoopConfig;
import io.shadowvm.controller.loop.Placer;
import io.shadowvm.controller.loop.WeightPolicy;
import io.shadowvm.controller.rest.RestApi;
import io.shadowvm.controller.store.ClusterStore;
import io.shadowvm.controller.store.EmbeddedZooKeeper;
import io.shadowvm.controller.store.LeaderElection;
import io.shadowvm.controller.store.ZkClusterStore;
import io.shadowvm.controller.store.ZooKeeperConnection;
import io.shadowvm.controller.wiring.PlacementManagerPlacer;
import io.shadowvm.controller.wiring.PredictorScorer;
import io.shadowvm.controller.wiring.RedirectionPolicyWeights;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.agent.IdleStrategy;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.core.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;

/**
 * One controller process: cluster store (embedded ZooKeeper or an ensemble), leader election, the
 * control loop on its own thread, the agents' gRPC gateway and the REST API. Build a {@link Context},
 * call {@link #start(Context)}, and {@link #close()} when done; everything started is stopped in reverse.
 */
public final class Controller implements AutoCloseable {
    /**
     * Configuration, validated once by {@link #conclude()}.
     */
    public static final class Context {
        private Topology topology;
        private String zookeeper;
        private Path dataDir = Path.of(".shadowvm", "controller");
        private int zookeeperPort;
        private String bind = "127.0.0.1";
        private int grpcPort = io.shadowvm.api.Protocol.DEFAULT_GRPC_PORT;
        private int httpPort = io.shadowvm.api.Protocol.DEFAULT_HTTP_PORT;
        private boolean rest = true;
        private Path agentSocket;
        private String controllerId;
        private LoopConfig loop = LoopConfig.defaults();
        private EpochClock clock = EpochClock.SYSTEM;
        private NanoClock nanoClock = NanoClock.SYSTEM;
        private Function<Topology, Placer> placer = t -> new PlacementManagerPlacer(t, 1);
        private Function<Topology, CongestionScorer> scorer = PredictorScorer::shipped;
        private Function<Topology, WeightPolicy> policy = t -> RedirectionPolicyWeights.withDwellMs(5_000);
        private Consumer<Throwable> errors = t -> System.err.println("shadowvm controller: " + t);

        public Context topology(Topology t) {
            this.topology = t;
            return this;
        }

        /** An ensemble's connect string; {@code null} (default) starts an embedded server. */
        public Context zookeeper(String connect) {
            this.zookeeper = connect;
            return this;
        }

        /** Where the embedded ZooKeeper keeps its data (default {@code .shadowvm/controller}). */
        public Context dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Context zookeeperPort(int port) {
            this.zookeeperPort = port;
            return this;
        }

        public Context bind(String address) {
            this.bind = address;
            return this;
        }

        /** Also serve agents on this Unix domain socket (the testbed's management network); null: TCP only. */
        public Context agentSocket(Path socket) {
            this.agentSocket = socket;
            return this;
        }

        public Context grpcPort(int port) {
            this.grpcPort = port;
            return this;
        }

        public Context httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        public Context rest(boolean enabled) {
            this.rest = enabled;
            return this;
        }

        public Context controllerId(String id) {
            this.controllerId = id;
            return this;
        }

        public Context loop(LoopConfig c) {
            this.loop = c;
            return this;
        }

        public Context clocks(EpochClock epoch, NanoClock nano) {
            this.clock = epoch;
            this.nanoClock = nano;
            return this;
        }

        public Context placer(Function<Topology, Placer> f) {
            this.placer = f;
            return this;
        }

        public Context scorer(Function<Topology, CongestionScorer> f) {
            this.scorer = f;
            return this;
        }

        public Context policy(Function<Topology, WeightPolicy> f) {
            this.policy = f;
            return this;
        }

        public Context errors(Consumer<Throwable> handler) {
            this.errors = handler;
            return this;
        }

        Context conclude() {
            if (topology == null) {
                throw new ShadowVmException("controller: no topology (expected: --topology FILE or a generated one)");
            }
            checkPort("grpc port", grpcPort);
            checkPort("http port", httpPort);
            checkPort("zookeeper port", zookeeperPort);
            Objects.requireNonNull(loop, "loop");
            if (controllerId == null || controllerId.isBlank()) {
                controllerId = "ctl-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
            }
            return this;
        }

        private static void checkPort(String name, int port) {
            if (port < 0 || port > 65_535) {
                throw new ShadowVmException(name + ": " + port + " (expected: 0..65535, 0 = any free port)");
            }
        }
    }

    private final Context ctx;
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedZooKeeper embedded;
    private LeaderElection election;
    private ControlLoop loop;
    private AgentGateway gateway;
    private AgentRunner runner;
    private RestApi restApi;
    private ClusterStore store;

    private Controller(Context ctx) {
        this.ctx = ctx;
    }

    public static Controller start(Context context) {
        Controller c = new Controller(context.conclude());
        try {
            c.startAll();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void startAll() {
        String connect = ctx.zookeeper;
        if (connect == null) {
            embedded = EmbeddedZooKeeper.start(ctx.dataDir.resolve("zookeeper"), ctx.zookeeperPort);
            started.add(embedded);
            connect = embedded.connectString();
        }
        CuratorFramework client = ZooKeeperConnection.connect(connect, 15_000);
        started.add(client);
        store = new ZkClusterStore(client);
        election = new LeaderElection(client, ctx.controllerId);
        started.add(election);
        Topology t = ctx.topology;
        LoopConfig lc = ctx.loop;
        ControlLoop[] holder = new ControlLoop[1];
        gateway = new AgentGateway(m -> holder[0].offer(m), ctx.clock, ctx.controllerId, lc.heartbeatIntervalMs(),
            lc.telemetryIntervalMs());
        loop = new ControlLoop(lc, ctx.clock, ctx.nanoClock, ctx.controllerId, t, store, election::isLeader,
            election::leaderId, gateway, ctx.placer.apply(t), ctx.scorer.apply(t), ctx.policy.apply(t),
            new EventLog(10_000));
        holder[0] = loop;
        started.add(gateway::stop);
        gateway.start(ctx.bind, ctx.grpcPort);
        if (ctx.agentSocket != null) {
            gateway.startUnix(ctx.agentSocket);
        }
        runner = new AgentRunner(loop, IdleStrategy.sleeping(1_000_000), ctx.errors).start();
        started.add(runner);
        if (ctx.rest) {
            restApi = RestApi.start(this, ctx.bind, ctx.httpPort);
            started.add(restApi);
        }
    }

    public String id() {
        return ctx.controllerId;
    }

    public Topology topology() {
        return ctx.topology;
    }

    public boolean isLeader() {
        return election != null && election.isLeader();
    }

    public String leaderId() {
        return election == null ? "" : election.leaderId();
    }

    public ClusterSnapshot snapshot() {
        return loop.snapshot();
    }

    public EventLog events() {
        return loop.events();
    }

    /** Hands a request to the loop (the REST API and the demo use this). */
    public void offer(Inbound request) {
        loop.offer(request);
    }

    public int grpcPort() {
        return gateway.port();
    }

    public int httpPort() {
        return restApi == null ? -1 : restApi.port();
    }

    /** The embedded ZooKeeper's connect string, or the ensemble's. */
    public String zookeeper() {
        return embedded != null ? embedded.connectString() : ctx.zookeeper;
    }

    public long errorCount() {
        return runner == null ? 0 : runner.errorCount();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                ctx.errors.accept(e);
            }
        }
        started.clear();
    }
}
