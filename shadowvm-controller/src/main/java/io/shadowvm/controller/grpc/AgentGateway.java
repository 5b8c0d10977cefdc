package io.shadowvm.controller.grpc;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import io.shadowvm.api.Protocol;
import io.shadowvm.api.proto.AgentControlGrpc;
import io.shadowvm.api.proto.AgentMessage;
import io.shadowvm.api.proto.CommandOutcome;
import io.shadowvm.api.proto.ControllerMessage;
import io.shadowvm.api.proto.OutcomeStatus;
import io.shadowvm.api.proto.Register;
import io.shadowvm.api.proto.Registered;
import io.shadowvm.api.proto.TelemetryBatch;
import io.shadowvm.api.proto.VmRole;
import io.shadowvm.api.proto.VmStatus;
import io.shadowvm.controller.command.AgentAction;
import io.shadowvm.controller.loop.AgentLink;
import io.shadowvm.controller.loop.Inbound;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.EpochClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The gRPC side of the controller. Each agent stream is a {@link Session}; until its Register is
 * accepted by the loop, nothing else it sends is passed on. Outbound messages on one stream are
 * serialized by the session's lock (gRPC observers are not thread-safe); the loop thread and the
 * registration reply are the only writers.
 */
public final class AgentGateway extends AgentControlGrpc.AgentControlImplBase implements AgentLink {
    private final Consumer<Inbound> loop;
    private final EpochClock clock;
    private final String controllerId;
    private final long heartbeatIntervalMs;
    private final long telemetryIntervalMs;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private Server server;
    private final List<Server> servers = new ArrayList<>();
    private EventLoopGroup unixGroup;

    public AgentGateway(Consumer<Inbound> loop, EpochClock clock, String controllerId, long heartbeatIntervalMs,
                        long telemetryIntervalMs) {
        this.loop = loop;
        this.clock = clock;
        this.controllerId = controllerId;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.telemetryIntervalMs = telemetryIntervalMs;
    }

    /** Starts listening on {@code bind:port} (port 0: any free port). */
    public AgentGateway start(String bind, int port) {
        return start(NettyServerBuilder.forAddress(new InetSocketAddress(bind, port)), bind + ":" + port);
    }

    /**
     * Also serves agents on a Unix domain socket (Linux epoll): the testbed's management network, reachable from
     * agents in other network namespaces through the shared file system while the data network stays isolated.
     */
    public AgentGateway startUnix(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new ShadowVmException("cannot replace agent socket " + socket + ": " + e.getMessage(), e);
        }
        EventLoopGroup group = new EpollEventLoopGroup(1);
        unixGroup = group;
        return start(NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group).workerEventLoopGroup(group),
            "unix:" + socket);
    }

    private AgentGateway start(NettyServerBuilder builder, String where) {
        try {
            Server s = builder
                .maxInboundMessageSize(Protocol.MAX_MESSAGE_BYTES)
                .permitKeepAliveTime(1, TimeUnit.SECONDS)
                .addService(this)
                .build()
                .start();
            servers.add(s);
            if (server == null) {
                server = s;
            }
            return this;
        } catch (IOException e) {
            throw new ShadowVmException("cannot listen for agents on " + where + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public void stop() {
        if (server != null) {
            for (Session s : sessions.values()) {
                s.close(Status.UNAVAILABLE.withDescription("controller " + controllerId + " is stopping"));
            }
            for (Server s : servers) {
                s.shutdownNow();
                try {
                    s.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (unixGroup != null) {
                unixGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> out) {
        return new Session(out);
    }

    @Override
    public boolean deliver(AgentAction action, long fencingEpoch) {
        Session s = sessions.get(action.host());
        if (s == null) {
            return false;
        }
        return s.send(ControllerMessage.newBuilder().setCommand(Commands.toProto(action, fencingEpoch)).build());
    }

    @Override
    public void disconnect(String host, String agentId, String reason) {
        Session s = sessions.get(host);
        if (s != null && agentId != null && agentId.equals(s.agentId)) {
            sessions.remove(host, s);
            s.close(Status.ABORTED.withDescription(reason));
        }
    }

    /** Hosts with an accepted session (tests, status). */
    public List<String> connectedHosts() {
        return new ArrayList<>(sessions.keySet());
    }

    private final class Session implements StreamObserver<AgentMessage> {
        private final StreamObserver<ControllerMessage> out;
        private volatile String host;
        private volatile String agentId;
        private volatile boolean accepted;
        /** A switch monitor's stream: accepted here without the loop, only its link samples are passed on. */
        private volatile boolean switchMonitor;
        private boolean closed;

        Session(StreamObserver<ControllerMessage> out) {
            this.out = out;
        }

        synchronized boolean send(ControllerMessage m) {
            if (closed) {
                return false;
            }
            try {
                out.onNext(m);
                return true;
            } catch (RuntimeException e) {
                closed = true;
                return false;
            }
        }

        synchronized void close(Status status) {
            if (!closed) {
                closed = true;
                try {
                    out.onError(status.asRuntimeException());
                } catch (RuntimeException ignored) {
                    // the stream is already gone
                }
            }
        }

        @Override
        public void onNext(AgentMessage m) {
            long now = clock.epochMillis();
            switch (m.getBodyCase()) {
                case REGISTER -> register(m.getRegister(), now);
                case HEARTBEAT -> {
                    if (accepted && !switchMonitor) {
                        loop.accept(new Inbound.Heartbeat(host, agentId, m.getHeartbeat().getFencingEpoch(), now));
                    }
                }
                case TELEMETRY -> {
                    if (accepted && switchMonitor) {
                        loop.accept(new Inbound.LinkTelemetry(host, now, telemetry(m.getTelemetry(), now).links()));
                    } else if (accepted) {
                        loop.accept(telemetry(m.getTelemetry(), now));
                    }
                }
                case OUTCOME -> {
                    if (accepted && !switchMonitor) {
                        CommandOutcome o = m.getOutcome();
                        loop.accept(new Inbound.Outcome(host, agentId, o.getCommandId(),
                            o.getStatus() == OutcomeStatus.OUTCOME_STATUS_OK, o.getMessage(), o.getEpoch(),
                            o.getAddress(), now, o.getStateDigest()));
                    }
                }
                default -> close(Status.INVALID_ARGUMENT.withDescription("empty agent message"));
            }
        }

        private void register(Register r, long now) {
            if (host != null) {
                close(Status.FAILED_PRECONDITION.withDescription("second Register on one stream (host " + host + ")"));
                return;
            }
            if (r.getProtocolVersion() != Protocol.PROTOCOL_VERSION) {
                send(ControllerMessage.newBuilder().setRegistered(Registered.newBuilder().setAccepted(false)
                    .setReason("protocol version " + r.getProtocolVersion() + " not supported (controller speaks "
                        + Protocol.PROTOCOL_VERSION + ")").setControllerId(controllerId)).build());
                close(Status.FAILED_PRECONDITION.withDescription("protocol version"));
                return;
            }
            if (r.getHost().isEmpty() || r.getAgentId().isEmpty()) {
                close(Status.INVALID_ARGUMENT.withDescription("Register without host or agent id"));
                return;
            }
            host = r.getHost();
            agentId = r.getAgentId();
            if (r.getSwitchMonitor()) {
                switchMonitor = true;
                accepted = true;
                send(ControllerMessage.newBuilder().setRegistered(Registered.newBuilder().setAccepted(true)
                    .setControllerId(controllerId).setHeartbeatIntervalMs((int) heartbeatIntervalMs)
                    .setTelemetryIntervalMs((int) telemetryIntervalMs)).build());
                return;
            }
            List<Inbound.VmReport> vms = new ArrayList<>();
            for (VmStatus v : r.getVmsList()) {
                vms.add(report(v));
            }
            loop.accept(new Inbound.Register(r.getHost(), r.getAgentId(), r.getFencingEpoch(), r.getCores(),
                r.getMemoryMib(), r.getDataAddress(), r.getIngress(), vms, now, this::reply));
        }

        /** Called on the loop's thread with the loop's decision. */
        private void reply(Inbound.Reply reply) {
            Registered.Builder b = Registered.newBuilder().setAccepted(reply.accepted()).setReason(reply.reason())
                .setFencingEpoch(reply.fencingEpoch()).setControllerId(controllerId)
                .setHeartbeatIntervalMs((int) heartbeatIntervalMs).setTelemetryIntervalMs((int) telemetryIntervalMs);
            if (reply.accepted()) {
                Session old = sessions.put(host, this);
                if (old != null && old != this) {
                    old.close(Status.ABORTED.withDescription("replaced by a newer session of agent " + agentId));
                }
                accepted = true;
                send(ControllerMessage.newBuilder().setRegistered(b).build());
            } else {
                send(ControllerMessage.newBuilder().setRegistered(b).build());
                close(Status.FAILED_PRECONDITION.withDescription(reply.reason()));
            }
        }

        private Inbound.Telemetry telemetry(TelemetryBatch t, long now) {
            List<Inbound.LinkSample> links = new ArrayList<>(t.getLinksCount());
            for (io.shadowvm.api.proto.LinkSample l : t.getLinksList()) {
                links.add(new Inbound.LinkSample(l.getLink(), l.getAtMs(), l.getUtilization()));
            }
            List<Inbound.ProbeSample> probes = new ArrayList<>(t.getProbesCount());
            for (io.shadowvm.api.proto.ProbeSample p : t.getProbesList()) {
                probes.add(new Inbound.ProbeSample(p.getTargetHost(), p.getAtMs(), p.getRttUs(), p.getLossRatio()));
            }
            List<Inbound.VmReport> vms = new ArrayList<>(t.getVmsCount());
            for (VmStatus v : t.getVmsList()) {
                vms.add(report(v));
            }
            return new Inbound.Telemetry(host, agentId, t.getFencingEpoch(), now, links, probes, vms);
        }

        @Override
        public void onError(Throwable t) {
            gone();
        }

        @Override
        public void onCompleted() {
            gone();
            synchronized (this) {
                if (!closed) {
                    closed = true;
                    try {
                        out.onCompleted();
                    } catch (RuntimeException ignored) {
                        // already cancelled
                    }
                }
            }
        }

        private void gone() {
            if (host != null && sessions.remove(host, this)) {
                loop.accept(new Inbound.Disconnected(host, agentId, clock.epochMillis()));
            }
            synchronized (this) {
                closed = true;
            }
        }
    }

    static Inbound.VmReport report(VmStatus v) {
        return new Inbound.VmReport(v.getVm(), v.getRole() == VmRole.VM_ROLE_PRIMARY, v.getState(), v.getEpoch(),
            v.getLagMs(), v.getVmGeneration(), v.getServing(), v.getServiceAddress(), v.getSyncAddress(),
            v.getStateDigest(), v.getDigestEpoch());
    }
}
