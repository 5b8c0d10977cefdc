package io.shadowvm.agent.runtime;

import io.shadowvm.agent.VmRuntime;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.hypervisor.checkpoint.SnapshotPublisher;
import io.shadowvm.hypervisor.process.ProcessGuest;
import io.shadowvm.sync.AppliedEpoch;
import io.shadowvm.sync.EpochLoop;
import io.shadowvm.sync.EpochTicket;
import io.shadowvm.sync.SyncSink;
import io.shadowvm.sync.SyncSource;
import io.shadowvm.sync.region.MappedFileRegion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Process guests as VMs, for real: the primary is the hypervisor module's sample key-value guest
 * ({@link ProcessGuest#startKv}) on a mapped state file; replication is the sync module's
 * {@link SyncSource}/{@link SyncSink} (hash-scan dirty tracking, XOR/zero/LZ4 codec, journaled atomic
 * apply), paced by {@link EpochLoop} with the guest paused (SIGSTOP/SIGCONT) around each
 * {@code takeEpoch}; a serving shadow is a read-only guest following the snapshots a
 * {@link SnapshotPublisher} makes of every applied epoch; promotion closes the sink (the replica file then
 * holds exactly the newest acknowledged epoch) and starts the guest on it.
 *
 * <p>State digests: at each checkpoint, with the guest paused, the scan that finds dirty pages also yields the
 * digest of the whole state ({@link DigestScanTracker}); it travels with the VM epoch in the critical blob
 * ({@link VmEpochBlob}), so every shadow knows the primary's digest of each epoch it acknowledged. Promotion
 * digests the replica and refuses to serve a state whose digest differs from the primary's; the promoted
 * instance reports the digest it started from.
 *
 * <p>Warm spares: every shadow keeps a guest process ready (a serving shadow's read-only instance, or a standby
 * that serves nothing); promotion makes it {@link ProcessGuest#adopt adopt} the replica instead of starting a
 * JVM (0.3–1 s). Spares start on a launcher thread, never on the thread that takes epochs.
 *
 * <p>Liveness: a primary whose guest process exited is reported {@link Instance#DEAD} (no more epochs are
 * taken), so the controller fails that VM over while the host stays alive.
 *
 * Driven from the agent's thread: {@link #doWork()} paces the epochs; sinks apply on sync's own threads.
 */
public final class ProcessGuestRuntime implements VmRuntime {
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
    private final StateDigestLog.Registry digestLogs = new StateDigestLog.Registry();
    private final boolean warmSpares;
    private final ExecutorService launcher;

    private static final class Primary {
        final String vm;
        final long generation;
        final ProcessGuest guest;
        final long stateBytes;
        final Map<String, InetSocketAddress> sinks = new LinkedHashMap<>();
        final StateDigestLog digests;
        SyncSource source;
        MappedFileRegion region;
        DigestScanTracker tracker;
        EpochLoop loop;
        long vmEpoch;
        long digest;
        long digestEpoch;
        /** Promoted: the epoch and digest it started from (0 for a primary created fresh). */
        long startEpoch;
        long startDigest;

        Primary(String vm, long generation, ProcessGuest guest, long stateBytes, long vmEpoch, StateDigestLog digests) {
            this.vm = vm;
            this.generation = generation;
            this.guest = guest;
            this.stateBytes = stateBytes;
            this.vmEpoch = vmEpoch;
            this.digests = digests;
        }
    }

    private record Acked(long vmEpoch, long digest, long appliedAtMs) { // one volatile write per applied epoch
        static final Acked NONE = new Acked(0, 0, 0);
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
        /** A warm standby guest (standby shadows): adopts the replica on promotion. */
        ProcessGuest standbyGuest;
        /** A spare being started on the launcher thread. */
        CompletableFuture<ProcessGuest> launching;
        volatile Acked acked = Acked.NONE;

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
        this(host, workDir, bind, epochMs, clock, true);
    }

    /** @param warmSpares keep a guest process ready per shadow, so promotion adopts instead of starting a JVM */
    public ProcessGuestRuntime(String host, Path workDir, String bind, long epochMs, EpochClock clock,
                               boolean warmSpares) {
        this.host = host;
        this.workDir = workDir;
        this.bind = bind;
        this.epochMs = epochMs;
        this.clock = clock;
        this.warmSpares = warmSpares;
        this.launcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shadowvm-guest-launcher-" + host);
            t.setDaemon(true);
            return t;
        });
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
        primaries.put(vm, new Primary(vm, generation, g, bytes, 0, digestLogs.of(vm, generation)));
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

    /**
     * The digest this host's primary of {@code vm} (generation {@code generation}) recorded for {@code vmEpoch} while
     * paused (0: not among the last {@value StateDigestLog#CAPACITY}); kept after the guest died, for checks.
     */
    public long primaryDigest(String vm, long generation, long vmEpoch) {
        return digestLogs.find(vm, generation).digestAt(vmEpoch);
    }

    /** The newest checkpoint (VM epoch) of this host's primary of {@code vm} generation {@code generation}; any thread. */
    public long lastCheckpoint(String vm, long generation) {
        return digestLogs.find(vm, generation).newestEpoch();
    }

    /** Whether the shadow of {@code vm} here has its warm spare running (promotion then adopts, no JVM start). */
    public boolean spareReady(String vm) {
        Shadow s = shadows.get(vm);
        return s != null && (s.serving ? s.servingGuest != null : s.standbyGuest != null);
    }

    private static void applied(Shadow s, AppliedEpoch e) {
        byte[] blob = e.criticalBytes();
        long vmEpoch = decode(blob);
        if (vmEpoch < 0) {
            return;
        }
        s.acked = new Acked(vmEpoch, VmEpochBlob.digest(blob), e.appliedAtMs());
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
        p.tracker = new DigestScanTracker();
        p.source = SyncSource.start(new SyncSource.Context().region(p.region).tracker(p.tracker)
            .shadows(new ArrayList<>(p.sinks.values())).epochClock(clock));
        p.loop = new EpochLoop(p.source, epochMs, NanoClock.SYSTEM);
    }

    /** Takes the epochs that are due; called on the agent's thread every cycle. */
    @Override
    public int doWork() {
        int work = 0;
        for (Primary p : primaries.values()) {
            if (p.loop == null || !p.guest.isAlive()) {
                continue; // a dead guest has no more epochs: its shadows keep the last acknowledged one
            }
            EpochTicket t;
            try {
                t = p.loop.poll(source -> {
                    p.guest.pause();
                    try {
                        long digest = p.tracker.prescan(p.region);
                        long epoch = p.vmEpoch + 1;
                        EpochTicket taken = source.takeEpoch(VmEpochBlob.encode(epoch, digest));
                        p.vmEpoch = epoch;
                        p.digest = digest;
                        p.digestEpoch = epoch;
                        p.digests.record(epoch, digest);
                        return taken;
                    } finally {
                        p.guest.resume();
                    }
                });
            } catch (HypervisorException e) {
                if (!p.guest.exitedWithin(200)) {
                    throw e;
                }
                continue; // it died while being paused: reported dead from now on
            }
            if (t != null) {
                work++;
            }
        }
        for (Shadow s : shadows.values()) {
            work += tendSpare(s);
        }
        return work;
    }

    /**
     * Keeps one guest process ready per shadow: a serving shadow's read-only instance (once it has an epoch to
     * serve), or with warm spares a standby. Started on the launcher thread; picked up here when ready.
     */
    private int tendSpare(Shadow s) {
        if (s.launching != null) {
            if (!s.launching.isDone()) {
                return 0;
            }
            ProcessGuest g = s.launching.getNow(null);
            s.launching = null;
            if (g == null) {
                return 0; // failed to start: tried again on the next call
            }
            if (s.serving) {
                s.servingGuest = g;
            } else {
                s.standbyGuest = g;
            }
            return 1;
        }
        boolean want = s.serving ? s.servingGuest == null && s.acked.vmEpoch() > 0
            : warmSpares && s.standbyGuest == null;
        if (want) {
            Path follow = s.serving ? s.serveDir : null;
            s.launching = CompletableFuture.supplyAsync(() -> ProcessGuest.startKvStandby(s.stateBytes, follow), launcher);
            return 1;
        }
        return 0;
    }

    @Override
    public Promotion promote(String vm, long generation) {
        Primary existing = primaries.get(vm);
        if (existing != null && existing.generation == generation) {
            return new Promotion(existing.startEpoch, address(existing.guest.port()), existing.startDigest);
        }
        Shadow s = shadows.get(vm);
        if (s == null) {
            throw new ShadowVmException("no shadow of " + vm + " on " + host + " to promote");
        }
        if (s.acked.vmEpoch() == 0) {
            throw new ShadowVmException("shadow of " + vm + " on " + host + " holds no whole epoch yet");
        }
        ProcessGuest spare = s.serving ? s.servingGuest : s.standbyGuest;
        s.servingGuest = null;
        s.standbyGuest = null;
        closeShadow(s, false);
        shadows.remove(vm);
        Acked acked = s.acked;
        long digest = DigestScanTracker.digestOf(s.replica);
        if (acked.digest() != 0 && digest != acked.digest()) {
            if (spare != null) {
                spare.close();
            }
            throw new ShadowVmException(String.format("replica of %s on %s at epoch %d has state digest 0x%016x, but the"
                + " primary's digest of that epoch is 0x%016x: not promoting a state that differs from the primary's",
                vm, host, acked.vmEpoch(), digest, acked.digest()));
        }
        ProcessGuest g = WarmSpare.adoptOrStart(spare, s.replica, s.stateBytes);
        FileTrees.delete(s.serveDir);
        Primary np = new Primary(vm, generation, g, s.stateBytes, acked.vmEpoch(), digestLogs.of(vm, generation));
        np.startEpoch = acked.vmEpoch();
        np.startDigest = digest;
        np.digest = digest;
        np.digestEpoch = acked.vmEpoch();
        np.digests.record(acked.vmEpoch(), digest);
        primaries.put(vm, np);
        return new Promotion(acked.vmEpoch(), address(g.port()), digest);
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
            boolean alive = p.guest.isAlive();
            String state = !alive ? Instance.DEAD
                : p.sinks.isEmpty() ? "running" : "running, shipping to " + p.sinks.keySet();
            out.add(new Instance(p.vm, true, p.generation, p.vmEpoch, 0, alive, alive ? address(p.guest.port()) : "", "",
                state, p.digest, p.digestEpoch));
        }
        for (Shadow s : shadows.values()) {
            Acked a = s.acked;
            long lag = a.appliedAtMs() == 0 ? 0 : Math.max(0, now - a.appliedAtMs());
            boolean serving = s.servingGuest != null;
            out.add(new Instance(s.vm, false, s.generation, a.vmEpoch(), lag, serving,
                serving ? address(s.servingGuest.port()) : "", address(s.sink.localAddress().getPort()),
                a.vmEpoch() == 0 ? "syncing" : "replica at epoch " + a.vmEpoch(), a.digest(), a.vmEpoch()));
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
            killSpares(s);
            s.sink.close();
        }
    }

    private static void killSpares(Shadow s) {
        for (ProcessGuest g : new ProcessGuest[] {s.servingGuest, s.standbyGuest}) {
            if (g != null) {
                g.kill();
            }
        }
        s.servingGuest = null;
        s.standbyGuest = null;
        if (s.launching != null) {
            s.launching.thenAccept(ProcessGuest::close);
            s.launching = null;
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
        launcher.shutdownNow();
        FileTrees.delete(workDir);
    }

    private void closePrimary(Primary p) {
        if (p.source != null) {
            p.source.close();
        }
        if (p.region != null) {
            p.region.close();
        }
        p.guest.close();
        FileTrees.deleteQuietly(p.guest.stateFile());
    }

    private void closeShadow(Shadow s, boolean deleteFiles) {
        killSpares(s);
        s.sink.close();
        if (deleteFiles) {
            FileTrees.delete(s.serveDir);
            FileTrees.deleteWithSiblings(s.replica);
        }
    }

    private String address(int port) {
        return bind + ":" + port;
    }

    static byte[] encode(long vmEpoch) {
        return VmEpochBlob.encode(vmEpoch);
    }

    /** The VM epoch in a critical blob (either format of {@link VmEpochBlob}), or -1 when it is not one of ours. */
    static long decode(byte[] critical) {
        return VmEpochBlob.epoch(critical);
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
}
