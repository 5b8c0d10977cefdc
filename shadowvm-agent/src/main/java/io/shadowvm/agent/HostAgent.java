package io.shadowvm.agent;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import io.shadowvm.api.Protocol;
import io.shadowvm.api.proto.AgentControlGrpc;
import io.shadowvm.api.proto.AgentMessage;
import io.shadowvm.api.proto.CommandOutcome;
import io.shadowvm.api.proto.ControllerMessage;
import io.shadowvm.api.proto.Heartbeat;
import io.shadowvm.api.proto.Register;
import io.shadowvm.api.proto.Registered;
import io.shadowvm.api.proto.TelemetryBatch;
import io.shadowvm.api.proto.VmRole;
import io.shadowvm.api.proto.VmStatus;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.agent.Agent;
import io.shadowvm.core.time.EpochClock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The per-host daemon as an {@link Agent}: connects to a controller (trying each configured address in
 * turn), registers, then heartbeats and sends telemetry on the intervals the controller gave. Commands and
 * the runtime's periodic work run on a separate VM worker thread (starting a guest can take a second; a
 * heartbeat must never wait for it); their outcomes come back through a queue. The gRPC thread only
 * enqueues; the agent's thread is the only writer of the outgoing stream.
 */
public final class HostAgent implements Agent {
    /**
     * @param controllers  host:port of every controller; a follower refuses and the next one is tried
     * @param dataAddress  where this host's sync sinks and guests are reachable (reported, not used here)
     * @param reconnectMs  wait between connection attempts
     * @param switchMonitor this agent runs in a ToR or spine namespace named {@code host}: no VMs, link telemetry
     *                      only (a controller address may be {@code unix:/path}, the testbed's management socket)
     */
    public record Config(String host, List<String> controllers, String dataAddress, boolean ingress, int cores,
                         long memoryMib, long reconnectMs, boolean switchMonitor) {
        public Config(String host, List<String> controllers, String dataAddress, boolean ingress, int cores,
                      long memoryMib, long reconnectMs) {
            this(host, controllers, dataAddress, ingress, cores, memoryMib, reconnectMs, false);
        }

        public Config {
            if (host == null || host.isBlank()) {
                throw new ShadowVmException("agent host: missing (expected: a topology host name)");
            }
            controllers = List.copyOf(controllers);
            if (controllers.isEmpty()) {
                throw new ShadowVmException("agent of " + host + ": no controller address (expected: host:port, ...)");
            }
            if (reconnectMs < 1 || reconnectMs > 600_000) {
                throw new ShadowVmException("reconnect: " + reconnectMs + " ms (expected: 1..600000)");
            }
        }
    }

    private sealed interface Event permits FromController, StreamClosed {
    }

    private record FromController(Object stream, ControllerMessage message) implements Event {
    }

    private record StreamClosed(Object stream, String why) implements Event {
    }

    private final Config config;
    private final EpochClock clock;
    private final VmRuntime runtime;
    private final TelemetrySource telemetry;
    private final CommandExecutor executor;
    private final String agentId;
    private final Queue<Event> events = new ConcurrentLinkedQueue<>();
    private final Map<String, ManagedChannel> channels = new HashMap<>();
    private StreamObserver<AgentMessage> stream;
    private EventLoopGroup unixGroup;
    private Object streamToken;
    private int controllerIndex;
    private long nextConnectMs;
    private volatile boolean registered;
    private volatile String lastRefusal = "";
    private volatile String controllerId = "";
    private long heartbeatIntervalMs = 100;
    private long telemetryIntervalMs = 1_000;
    private long nextHeartbeatMs;
    private long nextTelemetryMs;
    private long heartbeatSeq;
    private volatile boolean paused;
    private final ScheduledExecutorService worker;
    private final Queue<CommandOutcome> outcomes = new ConcurrentLinkedQueue<>();
    private volatile List<VmRuntime.Instance> instances = List.of();
    private volatile boolean reportNow;

    public HostAgent(Config config, EpochClock clock, VmRuntime runtime, TelemetrySource telemetry, IngressPlane ingress) {
        this.config = config;
        this.clock = clock;
        this.runtime = runtime;
        this.telemetry = telemetry;
        this.executor = new CommandExecutor(config.host(), runtime, ingress, clock);
        this.agentId = config.host() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shadowvm-agent-" + config.host() + "-vm");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void onStart() {
        if (runtime == null) {
            return; // a switch monitor runs no VMs
        }
        instances = runtime.instances();
        worker.scheduleWithFixedDelay(this::runtimeWork, 0, 5, TimeUnit.MILLISECONDS);
    }

    /** On the VM worker: the runtime's periodic work, then a fresh snapshot of its instances. */
    private void runtimeWork() {
        try {
            runtime.doWork();
        } catch (RuntimeException e) {
            lastRefusal = "runtime: " + e.getMessage();
        }
        List<VmRuntime.Instance> now = runtime.instances();
        if (newlyDead(instances, now)) {
            reportNow = true; // a primary's guest died: the controller hears it now, not at the next telemetry
        }
        instances = now;
    }

    private static boolean newlyDead(List<VmRuntime.Instance> before, List<VmRuntime.Instance> after) {
        for (VmRuntime.Instance i : after) {
            if (i.primary() && VmRuntime.Instance.DEAD.equals(i.state())) {
                boolean was = false;
                for (VmRuntime.Instance b : before) {
                    was |= b.vm().equals(i.vm()) && b.primary() && VmRuntime.Instance.DEAD.equals(b.state());
                }
                if (!was) {
                    return true;
                }
            }
        }
        return false;
    }

    /** What the runtime ran at its last report (read on any thread). */
    public List<VmRuntime.Instance> instances() {
        return instances;
    }

    @Override
    public String roleName() {
        return "agent-" + config.host();
    }

    public String host() {
        return config.host();
    }

    public String agentId() {
        return agentId;
    }

    public boolean registered() {
        return registered;
    }

    public long fencingEpoch() {
        return executor.fencingEpoch();
    }

    public String lastRefusal() {
        return lastRefusal;
    }

    public String controllerId() {
        return controllerId;
    }

    public CommandExecutor executor() {
        return executor;
    }

    /**
     * Fault injection for tests and the demo: while paused the agent sends nothing and drops its stream, as
     * if its host were partitioned or frozen; its VMs keep running (that is what fencing is for).
     */
    public void pause(boolean value) {
        paused = value;
    }

    @Override
    public int doWork() {
        long now = clock.epochMillis();
        int work = 0;
        if (paused) {
            if (stream != null) {
                dropStream("paused");
            }
            events.clear();
            outcomes.clear();
            return 0;
        }
        if (stream == null && now >= nextConnectMs) {
            connect();
            work++;
        }
        Event e;
        while ((e = events.poll()) != null) {
            work++;
            if (e instanceof FromController f && f.stream() == streamToken) {
                onMessage(f.message(), now);
            } else if (e instanceof StreamClosed c && c.stream() == streamToken) {
                if (lastRefusal.isEmpty() || registered) {
                    lastRefusal = c.why();
                }
                registered = false;
                stream = null;
                streamToken = null;
                controllerIndex = (controllerIndex + 1) % config.controllers().size();
                nextConnectMs = now + config.reconnectMs();
            }
        }
        CommandOutcome done;
        while ((done = outcomes.poll()) != null) {
            if (stream != null) {
                send(AgentMessage.newBuilder().setOutcome(done).build());
            }
            work++;
        }
        if (registered && stream != null) {
            if (now >= nextHeartbeatMs) {
                nextHeartbeatMs = now + heartbeatIntervalMs;
                send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                    .setFencingEpoch(executor.fencingEpoch()).setSequence(++heartbeatSeq).setSentAtMs(now)).build());
                work++;
            }
            if (now >= nextTelemetryMs || reportNow) {
                reportNow = false;
                nextTelemetryMs = now + telemetryIntervalMs;
                TelemetryBatch.Builder b = TelemetryBatch.newBuilder().setFencingEpoch(executor.fencingEpoch());
                telemetry.collect(b, now);
                for (VmRuntime.Instance i : instances) {
                    b.addVms(status(i));
                }
                send(AgentMessage.newBuilder().setTelemetry(b).build());
                work++;
            }
        }
        return work;
    }

    private void connect() {
        String target = config.controllers().get(controllerIndex);
        ManagedChannel ch = channels.computeIfAbsent(target, t -> channelBuilder(t).usePlaintext()
            .maxInboundMessageSize(Protocol.MAX_MESSAGE_BYTES).build());
        Object token = new Object();
        streamToken = token;
        stream = AgentControlGrpc.newStub(ch).connect(new StreamObserver<>() {
            @Override
            public void onNext(ControllerMessage m) {
                events.add(new FromController(token, m));
            }

            @Override
            public void onError(Throwable t) {
                events.add(new StreamClosed(token, target + ": " + t.getMessage()));
            }

            @Override
            public void onCompleted() {
                events.add(new StreamClosed(token, target + ": stream closed by the controller"));
            }
        });
        Register.Builder r = Register.newBuilder().setProtocolVersion(Protocol.PROTOCOL_VERSION).setHost(config.host())
            .setAgentId(agentId).setFencingEpoch(executor.fencingEpoch()).setCores(config.cores())
            .setMemoryMib(config.memoryMib()).setDataAddress(config.dataAddress()).setIngress(config.ingress())
            .setSwitchMonitor(config.switchMonitor());
        for (VmRuntime.Instance i : instances) {
            r.addVms(status(i));
        }
        send(AgentMessage.newBuilder().setRegister(r).build());
    }

    private void onMessage(ControllerMessage m, long now) {
        switch (m.getBodyCase()) {
            case REGISTERED -> {
                Registered r = m.getRegistered();
                controllerId = r.getControllerId();
                if (r.getAccepted()) {
                    executor.adoptEpoch(r.getFencingEpoch());
                    heartbeatIntervalMs = Math.max(1, r.getHeartbeatIntervalMs());
                    telemetryIntervalMs = Math.max(1, r.getTelemetryIntervalMs());
                    registered = true;
                    lastRefusal = "";
                    nextHeartbeatMs = now;
                    nextTelemetryMs = now;
                } else {
                    lastRefusal = r.getReason();
                }
            }
            case COMMAND -> worker.execute(runtime == null ? () -> { } : () -> {
                CommandOutcome o = executor.execute(m.getCommand());
                instances = runtime.instances();
                outcomes.add(o);
            });
            default -> {
            }
        }
    }

    /** {@code unix:/path} is a Unix domain socket (Linux epoll); anything else a gRPC target such as host:port. */
    private NettyChannelBuilder channelBuilder(String target) {
        if (!target.startsWith("unix:")) {
            return NettyChannelBuilder.forTarget(target);
        }
        if (unixGroup == null) {
            unixGroup = new EpollEventLoopGroup(1);
        }
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(target.substring("unix:".length())))
            .channelType(EpollDomainSocketChannel.class).eventLoopGroup(unixGroup);
    }

    private void send(AgentMessage m) {
        try {
            stream.onNext(m);
        } catch (RuntimeException e) {
            events.add(new StreamClosed(streamToken, "send failed: " + e.getMessage()));
        }
    }

    private void dropStream(String why) {
        try {
            stream.onError(io.grpc.Status.CANCELLED.withDescription(why).asRuntimeException());
        } catch (RuntimeException ignored) {
            // already closed
        }
        stream = null;
        streamToken = null;
        registered = false;
        nextConnectMs = 0;
    }

    static VmStatus status(VmRuntime.Instance i) {
        return VmStatus.newBuilder().setVm(i.vm()).setRole(i.primary() ? VmRole.VM_ROLE_PRIMARY : VmRole.VM_ROLE_SHADOW)
            .setState(i.state()).setEpoch(i.epoch()).setLagMs(i.lagMs()).setVmGeneration(i.generation())
            .setServing(i.serving()).setServiceAddress(i.serviceAddress()).setSyncAddress(i.syncAddress())
            .setStateDigest(i.stateDigest()).setDigestEpoch(i.digestEpoch()).build();
    }

    @Override
    public void onClose() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stream != null) {
            try {
                stream.onCompleted();
            } catch (RuntimeException ignored) {
                // the stream is already gone
            }
        }
        for (ManagedChannel ch : channels.values()) {
            ch.shutdownNow();
            try {
                ch.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (unixGroup != null) {
            unixGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
