package io.shadowvm.agent.runtime;

import io.shadowvm.agent.VmRuntime;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.hypervisor.checkpoint.SnapshotPublisher;
import io.shadowvm.hypervisor.process.ProcessGuest;
import io.shadowvm.sync.AppliedEpoch;
import io.shadowvm.sync.EpochLoop;
import io.shadowvm.sync.EpochTicket;
import io.shadowvm.sync.SyncSink;
import io.shadowvm.sync.SyncSource;
import io.shadowvm.sync.dirty.HashScanTracker;
import io.shadowvm.sync.region.MappedFileRegion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Process guests as VMs, for real: the primary is the hypervisor module's sample key-value guest
 * ({@link ProcessGuest#startKv}) on a mapped state file; replication is the sync module's
 * {@link SyncSource}/{@link SyncSink} (hash-scan dirty tracking, XOR/zero/LZ4 codec, journaled atomic
 * apply), paced by {@link EpochLoop} with the guest paused (SIGSTOP/SIGCONT) around each
 * {@code takeEpoch}; a serving shadow is a read-only guest following the snapshots a
 * {@link SnapshotPublisher} makes of every applied epoch; promotion closes the sink (the replica file then
 * holds exactly the newest acknowledged epoch) and starts the guest on it.
 *
 * <p>VM-level epochs: a source restarts (a new sync stream, epochs from 1) when a shadow is added, so the
 * epoch the controller compares across shadows is a VM epoch carried in each sync epoch's critical blob:
 *
 * <pre>
 *   0       4       12
 *   +-------+-------+
 *   | SVME  | epoch |   magic "SVME" (u32, big-endian), VM epoch (u64)
 *   +-------+-------+
 * </pre>
 *
 * Driven from the agent's thread: {@link #doWork()} paces the epochs; sinks apply on sync's own threads.
 */
public final class ProcessGuestRuntime implements VmRuntime {
    static final int MAGIC = 0x53564D45; // "SVME"
    /**
     * Every process guest's state file has this size, whatever memory the VM asks for: a sync source and its
     * sinks must agree on the region size, and a shadow is opened before it knows its primary's.
     */
    public static final long STATE_BYTES = 16L << 20;

    private final String host;
    private final Path workDir;
    private final String bind;
    private final long epochMs;
    private final EpochClock clock;
    private final Map<String, Primary> primaries = new LinkedHashMap<>();
    private final Map<String, Shadow> shadows = new LinkedHashMap<>();

    private static final class Primary {
        final String vm;
        final long generation;
        final ProcessGuest guest;
        final long stateBytes;
        final Map<String, InetSocketAddress> sinks = new LinkedHashMap<>();
        SyncSource source;
        MappedFileRegion region;
        EpochLoop loop;
        long vmEpoch;

        Primary(String vm, long generation, ProcessGuest guest, long stateBytes, long vmEpoch) {
            this.vm = vm;
            this.generation = generation;
            this.guest = guest;
            this.stateBytes = stateBytes;
            this.vmEpoch = vmEpoch;
        }
    }

    private static final class Shadow {
        final String vm;
        final long generation;
        final boolean serving;
        final long stateBytes;
        final Path replica;
        final Path serveDir;
        SyncSink sink;
        SnapshotPublisher publisher;
        ProcessGuest servingGuest;
        volatile long ackedVmEpoch;
        volatile long appliedAtMs;

        Shadow(String vm, long generation, boolean serving, long stateBytes, Path replica, Path serveDir) {
            this.vm = vm;
            this.generation = generation;
            this.serving = serving;
            this.stateBytes = stateBytes;
            this.replica = replica;
            this.serveDir = serveDir;
        }
    }

    /**
     * @param workDir where state files and replicas live (a tmpfs such as /dev/shm keeps epochs fast)
     * @param bind    the address sinks and guests are reached at (loopback for one machine)
     * @param epochMs checkpoint interval of primaries
     */
    public ProcessGuestRuntime(String host, Path workDir, String bind, long epochMs, EpochClock clock) {
        this.host = host;
        this.workDir = workDir;
        this.bind = bind;
        this.epochMs = epochMs;
        this.clock = clock;
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new ShadowVmException("cannot create the agent's work directory " + workDir + ": " + e.getMessage(), e);
        }
    }

    private Path file(String vm, long generation, String suffix) {
        return workDir.resolve(vm + "-g" + generation + suffix);
    }

    @Override
    public String startPrimary(String vm, int vcpus, long memoryMib, long generation, String guestKind) {
        if (!"process".equals(guestKind)) {
            throw new ShadowVmException("guest kind '" + guestKind + "' is not run by " + describe()
                + " (expected: process)");
        }
        Primary p = primaries.get(vm);
        if (p != null && p.generation == generation) {
            return address(p.guest.port());
        }
        if (p != null) {
            throw new ShadowVmException(vm + " generation " + p.generation + " already runs on " + host);
        }
        long bytes = STATE_BYTES;
        ProcessGuest g = ProcessGuest.startKv(file(vm, generation, ".state"), bytes, null);
        primaries.put(vm, new Primary(vm, generation, g, bytes, 0));
        return address(g.port());
    }

    @Override
    public String openShadow(String vm, long generation, boolean serving, String guestKind, long memoryMib) {
        Shadow s = shadows.get(vm);
        if (s != null && s.generation == generation) {
            return address(s.sink.localAddress().getPort());
        }
        if (s != null) {
            closeShadow(s, true);
        }
        long bytes = STATE_BYTES;
        Shadow n = new Shadow(vm, generation, serving, bytes, file(vm, generation, ".replica"),
            file(vm, generation, ".serve"));
        if (serving) {
            n.publisher = new SnapshotPublisher(n.serveDir, n.replica);
        }
        n.sink = SyncSink.start(new SyncSink.Context().listen(new InetSocketAddress(bind, 0)).replica(n.replica)
            .createSizeBytes(bytes).durable(false).clock(clock).onApplied(e -> applied(n, e)));
        shadows.put(vm, n);
        return address(n.sink.localAddress().getPort());
    }

    private static void applied(Shadow s, AppliedEpoch e) {
        long vmEpoch = decode(e.criticalBytes());
        if (vmEpoch < 0) {
            return;
        }
        s.ackedVmEpoch = vmEpoch;
        s.appliedAtMs = e.appliedAtMs();
        if (s.publisher != null) {
            s.publisher.publish(vmEpoch);
        }
    }

    @Override
    public void startReplication(String vm, long generation, String shadowHost, String sinkAddress) {
        Primary p = primaries.get(vm);
        if (p == null || p.generation != generation) {
            throw new ShadowVmException("no primary of " + vm + " generation " + generation + " on " + host);
        }
        InetSocketAddress addr = parse(sinkAddress);
        if (addr.equals(p.sinks.get(shadowHost))) {
            return;
        }
        p.sinks.put(shadowHost, addr);
        restartSource(p);
    }

    private void restartSource(Primary p) {
        if (p.source != null) {
            p.source.close();
        }
        if (p.region == null) {
            p.region = MappedFileRegion.openReadOnly(p.guest.stateFile());
        }
        p.source = SyncSource.start(new SyncSource.Context().region(p.region).tracker(new HashScanTracker())
            .shadows(new ArrayList<>(p.sinks.values())).epochClock(clock));
        p.loop = new EpochLoop(p.source, epochMs, NanoClock.SYSTEM);
    }

    /** Takes the epochs that are due; called on the agent's thread every cycle. */
    @Override
    public int doWork() {
        int work = 0;
        for (Primary p : primaries.values()) {
            if (p.loop == null) {
                continue;
            }
            EpochTicket t = p.loop.poll(source -> {
                p.guest.pause();
                try {
                    p.vmEpoch++;
                    return source.takeEpoch(encode(p.vmEpoch));
                } finally {
                    p.guest.resume();
                }
            });
            if (t != null) {
                work++;
            }
        }
        for (Shadow s : shadows.values()) {
            if (s.serving && s.servingGuest == null && s.ackedVmEpoch > 0) {
                s.servingGuest = ProcessGuest.startKv(null, s.stateBytes, s.serveDir);
                work++;
            }
        }
        return work;
    }

    @Override
    public Promotion promote(String vm, long generation) {
        Primary existing = primaries.get(vm);
        if (existing != null && existing.generation == generation) {
            return new Promotion(existing.vmEpoch, address(existing.guest.port()));
        }
        Shadow s = shadows.get(vm);
        if (s == null) {
            throw new ShadowVmException("no shadow of " + vm + " on " + host + " to promote");
        }
        if (s.ackedVmEpoch == 0) {
            throw new ShadowVmException("shadow of " + vm + " on " + host + " holds no whole epoch yet");
        }
        closeShadow(s, false);
        shadows.remove(vm);
        long epoch = s.ackedVmEpoch;
        ProcessGuest g = ProcessGuest.startKv(s.replica, s.stateBytes, null);
        primaries.put(vm, new Primary(vm, generation, g, s.stateBytes, epoch));
        return new Promotion(epoch, address(g.port()));
    }

    @Override
    public void stop(String vm, long generation) {
        Primary p = primaries.get(vm);
        if (p != null && p.generation <= generation) {
            primaries.remove(vm);
            closePrimary(p);
        }
        Shadow s = shadows.get(vm);
        if (s != null && s.generation <= generation) {
            shadows.remove(vm);
            closeShadow(s, true);
        }
    }

    @Override
    public List<Instance> instances() {
        long now = clock.epochMillis();
        List<Instance> out = new ArrayList<>();
        for (Primary p : primaries.values()) {
            out.add(new Instance(p.vm, true, p.generation, p.vmEpoch, 0, true, address(p.guest.port()), "",
                p.sinks.isEmpty() ? "running" : "running, shipping to " + p.sinks.keySet()));
        }
        for (Shadow s : shadows.values()) {
            long lag = s.appliedAtMs == 0 ? 0 : Math.max(0, now - s.appliedAtMs);
            boolean serving = s.servingGuest != null;
            out.add(new Instance(s.vm, false, s.generation, s.ackedVmEpoch, lag, serving,
                serving ? address(s.servingGuest.port()) : "", address(s.sink.localAddress().getPort()),
                s.ackedVmEpoch == 0 ? "syncing" : "replica at epoch " + s.ackedVmEpoch));
        }
        return out;
    }

    /** Simulates the host losing power: every guest is SIGKILLed, every sync endpoint dropped. */
    public void killAll() {
        for (Primary p : primaries.values()) {
            p.guest.kill();
            if (p.source != null) {
                p.source.close();
            }
        }
        for (Shadow s : shadows.values()) {
            if (s.servingGuest != null) {
                s.servingGuest.kill();
            }
            s.sink.close();
        }
    }

    @Override
    public String describe() {
        return "process guests (shadowvm-hypervisor KV guest) replicated with shadowvm-sync, epoch " + epochMs + " ms";
    }

    @Override
    public void close() {
        for (Primary p : List.copyOf(primaries.values())) {
            closePrimary(p);
        }
        for (Shadow s : List.copyOf(shadows.values())) {
            closeShadow(s, true);
        }
        primaries.clear();
        shadows.clear();
        deleteTree(workDir);
    }

    private void closePrimary(Primary p) {
        if (p.source != null) {
            p.source.close();
        }
        if (p.region != null) {
            p.region.close();
        }
        p.guest.close();
        deleteQuietly(p.guest.stateFile());
    }

    private void closeShadow(Shadow s, boolean deleteFiles) {
        if (s.servingGuest != null) {
            s.servingGuest.close();
            s.servingGuest = null;
        }
        s.sink.close();
        if (deleteFiles) {
            deleteTree(s.serveDir);
            deleteQuietly(s.replica);
            try (Stream<Path> l = Files.list(workDir)) {
                l.filter(f -> f.getFileName().toString().startsWith(s.replica.getFileName() + ".sync-"))
                    .forEach(ProcessGuestRuntime::deleteQuietly);
            } catch (IOException e) {
                // best effort: the work directory goes with close()
            }
        }
    }

    private String address(int port) {
        return bind + ":" + port;
    }

    static byte[] encode(long vmEpoch) {
        return ByteBuffer.allocate(12).putInt(MAGIC).putLong(vmEpoch).array();
    }

    /** The VM epoch in a critical blob, or -1 when it is not one of ours. */
    static long decode(byte[] critical) {
        if (critical == null || critical.length != 12) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(critical);
        return b.getInt() == MAGIC ? b.getLong() : -1;
    }

    static InetSocketAddress parse(String hostPort) {
        int i = hostPort.lastIndexOf(':');
        if (i <= 0) {
            throw new ShadowVmException("sink address '" + hostPort + "' (expected: host:port)");
        }
        try {
            return new InetSocketAddress(hostPort.substring(0, i), Integer.parseInt(hostPort.substring(i + 1)));
        } catch (NumberFormatException e) {
            throw new ShadowVmException("sink address '" + hostPort + "' (expected: host:port)");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> w = Files.walk(dir)) {
            w.sorted(Comparator.reverseOrder()).forEach(ProcessGuestRuntime::deleteQuietly);
        } catch (IOException e) {
            // best effort
        }
    }
}
