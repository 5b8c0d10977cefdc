package io.shadowvm.agent.runtime;

import io.shadowvm.agent.VmRuntime;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.hypervisor.checkpoint.Promoter;
import io.shadowvm.hypervisor.qemu.GuestImage;
import io.shadowvm.hypervisor.qemu.QemuConfig;
import io.shadowvm.hypervisor.qemu.QemuVm;
import io.shadowvm.hypervisor.qemu.VmLifecycle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * QEMU guests as VMs: a primary is the test guest of {@code testbed/guest} booted with its RAM in a shared file on
 * a tmpfs and its HTTP port forwarded (user-mode networking) to {@code <bind>:<free port>}; its epochs go through
 * shadowvm-sync to each shadow's sink ({@link QemuPrimary}); a shadow is a sink with a replica of the guest's RAM
 * size and, when it serves, a clone of its first verified epoch ({@link QemuShadow}); promotion starts QEMU on the
 * replica from the newest verified epoch, in this host's network namespace, its HTTP on {@code <bind>:<free port>}.
 * The epoch the controller compares across shadows is the VM epoch of {@link VmEpochTag}.
 *
 * <p>Guest-visible settings are the same on every host ({@link QemuHostEnv}), so any host's shadow can resume any
 * host's primary. The guest has one vCPU whatever {@code vcpus} asks (the checkpoint path is proven for that).
 * Driven from the agent's VM thread; sinks apply on sync's threads.
 */
public final class QemuGuestRuntime implements VmRuntime {
    /** How long a booting guest may take until its HTTP service answers (TCG on a loaded machine is slow). */
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    private static final int BOOT_ATTEMPTS = 3;
    /** A serving shadow's clone is replaced by one of a newer epoch when it is this old (each start costs a QEMU). */
    public static final long DEFAULT_SERVING_REFRESH_MS = 10_000;

    private final QemuHostEnv env;
    private final long epochMs;
    private final long servingRefreshMs;
    private final EpochClock clock;
    private final Map<String, QemuPrimary> primaries = new LinkedHashMap<>();
    private final Map<String, QemuShadow> shadows = new LinkedHashMap<>();

    /**
     * @param host    this host's name (in messages)
     * @param workDir run directories of the guests; their RAM goes to {@code workDir/ram} when it is on a tmpfs (such
     *                as the agent's default {@code /dev/shm/shadowvm-agent-<host>}), else to a directory in /dev/shm
     * @param bind    the address sinks and guests' forwarded HTTP ports listen on
     * @param epochMs checkpoint interval of primaries
     */
    public QemuGuestRuntime(String host, Path workDir, String bind, long epochMs, EpochClock clock) {
        this(host, workDir, null, bind, epochMs, clock, GuestImage::build);
    }

    /**
     * @param ramDir      tmpfs directory for RAM files and replicas (null: as above)
     * @param imageSource the guest image (built on first use)
     */
    public QemuGuestRuntime(String host, Path workDir, Path ramDir, String bind, long epochMs, EpochClock clock,
                            Supplier<GuestImage> imageSource) {
        this(host, workDir, ramDir, bind, epochMs, DEFAULT_SERVING_REFRESH_MS, clock, imageSource);
    }

    /** @param servingRefreshMs age at which a serving shadow's clone is replaced by one from a newer epoch */
    QemuGuestRuntime(String host, Path workDir, Path ramDir, String bind, long epochMs, long servingRefreshMs,
                     EpochClock clock, Supplier<GuestImage> imageSource) {
        if (epochMs < 1) {
            throw new ShadowVmException("invalid epochMs: " + epochMs + " (expected: >= 1)");
        }
        if (servingRefreshMs < 1000) {
            throw new ShadowVmException("invalid servingRefreshMs: " + servingRefreshMs + " (expected: >= 1000)");
        }
        this.servingRefreshMs = servingRefreshMs;
        this.env = new QemuHostEnv(host, workDir, ramDir, bind, imageSource);
        this.epochMs = epochMs;
        this.clock = clock;
    }

    @Override
    public String startPrimary(String vm, int vcpus, long memoryMib, long generation, String guestKind) {
        if (!"qemu".equals(guestKind)) {
            throw new ShadowVmException("guest kind '" + guestKind + "' is not run by " + describe() + " (expected: qemu)");
        }
        QemuPrimary p = primaries.get(vm);
        if (p != null && p.generation == generation) {
            return p.serviceAddress;
        }
        if (p != null) {
            throw new ShadowVmException(vm + " generation " + p.generation + " already runs on " + env.host);
        }
        QemuHostEnv.requireMemory(vm, memoryMib);
        env.requireRamSpace(memoryMib << 20, "qemu VM " + vm + " (" + memoryMib + " MiB RAM)");
        QemuVm qemu = boot(QemuHostEnv.qemuName(vm, generation, "p"), memoryMib);
        String address = env.address(qemu.config().hostPort());
        try {
            GuestProbe.await(address, "/cgi-bin/state", BOOT_TIMEOUT, () -> qemu.lifecycle() != VmLifecycle.DEAD);
        } catch (RuntimeException e) {
            String tail = qemu.stderrTail();
            qemu.close();
            FileTrees.delete(qemu.config().runDir());
            throw new ShadowVmException("qemu VM " + vm + " on " + env.host + " did not come up: " + e.getMessage()
                + " (QEMU: " + tail + ")", e);
        }
        primaries.put(vm, new QemuPrimary(vm, generation, qemu, address, 0, null));
        return address;
    }

    /** Boots, retrying with another port when the free port was taken before QEMU bound it. */
    private QemuVm boot(String name, long memoryMib) {
        HypervisorException last = null;
        for (int i = 0; i < BOOT_ATTEMPTS; i++) {
            QemuConfig cfg = env.config(name, memoryMib, env.freePort());
            try {
                return QemuVm.boot(cfg);
            } catch (HypervisorException e) {
                last = e;
                FileTrees.delete(cfg.runDir());
                if (!e.getMessage().contains("host forwarding")) {
                    break;
                }
            }
        }
        throw last;
    }

    @Override
    public String openShadow(String vm, long generation, boolean serving, String guestKind, long memoryMib) {
        if (!"qemu".equals(guestKind)) {
            throw new ShadowVmException("guest kind '" + guestKind + "' is not run by " + describe() + " (expected: qemu)");
        }
        QemuShadow s = shadows.get(vm);
        if (s != null && s.generation == generation) {
            return s.sinkAddress();
        }
        if (memoryMib <= 0) {
            throw new ShadowVmException("shadow of qemu VM " + vm + ": memory_mib " + memoryMib
                + " (expected: the guest's RAM, " + QemuHostEnv.MIN_MEMORY_MIB + "-" + QemuHostEnv.MAX_MEMORY_MIB
                + " MiB; a controller that sends no memory_mib cannot shadow qemu guests)");
        }
        QemuHostEnv.requireMemory(vm, memoryMib);
        if (s != null) {
            shadows.remove(vm);
            s.close(true);
        }
        QemuShadow n = new QemuShadow(env, vm, generation, serving, memoryMib, servingRefreshMs, clock);
        shadows.put(vm, n);
        return n.sinkAddress();
    }

    @Override
    public void startReplication(String vm, long generation, String shadowHost, String sinkAddress) {
        QemuPrimary p = primaries.get(vm);
        if (p == null || p.generation != generation) {
            throw new ShadowVmException("no qemu primary of " + vm + " generation " + generation + " on " + env.host);
        }
        p.replicateTo(shadowHost, QemuHostEnv.parseAddress(sinkAddress), epochMs, clock);
    }

    @Override
    public int doWork() {
        int work = 0;
        RuntimeException failed = null;
        for (QemuPrimary p : primaries.values()) {
            try {
                work += p.doWork();
            } catch (RuntimeException e) {
                failed = e; // the other guests' epochs go on; the agent records the message
            }
        }
        for (QemuShadow s : shadows.values()) {
            try {
                work += s.doWork(this::configOnFreePort);
            } catch (RuntimeException e) {
                failed = new ShadowVmException("serving clone of " + s.vm + " on " + env.host + " failed: "
                    + e.getMessage(), e);
            }
        }
        if (failed != null) {
            throw failed;
        }
        return work;
    }

    @Override
    public Promotion promote(String vm, long generation) {
        QemuPrimary existing = primaries.get(vm);
        if (existing != null && existing.generation == generation && !existing.dead()) {
            return new Promotion(existing.vmEpoch(), existing.serviceAddress);
        }
        QemuShadow s = shadows.get(vm);
        if (s == null) {
            throw new ShadowVmException("no shadow of " + vm + " on " + env.host + " to promote");
        }
        Promoter.Promotion pr = s.promote(QemuHostEnv.qemuName(vm, generation, "p"), this::configOnFreePort);
        shadows.remove(vm);
        s.close(false);
        if (existing != null) {
            primaries.remove(vm);
            existing.close();
        }
        long epoch = s.promotedVmEpoch();
        QemuPrimary p = new QemuPrimary(vm, generation, pr.vm(), env.address(pr.vm().config().hostPort()), epoch, s.replica);
        primaries.put(vm, p);
        return new Promotion(epoch, p.serviceAddress);
    }

    private QemuConfig configOnFreePort(String qemuName, long memoryMib) {
        return env.config(qemuName, memoryMib, env.freePort());
    }

    @Override
    public void stop(String vm, long generation) {
        QemuPrimary p = primaries.get(vm);
        if (p != null && p.generation <= generation) {
            primaries.remove(vm);
            p.close();
        }
        QemuShadow s = shadows.get(vm);
        if (s != null && s.generation <= generation) {
            shadows.remove(vm);
            s.close(true);
        }
    }

    @Override
    public List<Instance> instances() {
        long now = clock.epochMillis();
        List<Instance> out = new ArrayList<>();
        for (QemuPrimary p : primaries.values()) {
            out.add(new Instance(p.vm, true, p.generation, p.vmEpoch(), 0, true, p.serviceAddress, "", p.state()));
        }
        for (QemuShadow s : shadows.values()) {
            long applied = s.appliedAtMs();
            String serving = s.servingAddress();
            out.add(new Instance(s.vm, false, s.generation, s.ackedVmEpoch(), applied == 0 ? 0 : Math.max(0, now - applied),
                !serving.isEmpty(), serving, s.sinkAddress(), s.state()));
        }
        return out;
    }

    /** Why the replication of {@code vm} stopped ("" while it runs or never ran). */
    public String replicationFailure(String vm) {
        QemuPrimary p = primaries.get(vm);
        return p == null ? "" : p.failure();
    }

    /** The QEMU process id of the local primary of {@code vm} (-1 when none): for fault injection and diagnostics. */
    public long primaryPid(String vm) {
        QemuPrimary p = primaries.get(vm);
        return p == null ? -1 : p.qemu.pid();
    }

    /** The VM epoch a promotion of the local shadow of {@code vm} would resume from now (-1: none). */
    long promotableVmEpoch(String vm) {
        QemuShadow s = shadows.get(vm);
        QemuShadow.Verified v = s == null ? null : s.promotable();
        return v == null ? -1 : v.vmEpoch();
    }

    @Override
    public String describe() {
        return "qemu guests (testbed/guest, TCG or KVM as probed) replicated with shadowvm-sync, epoch " + epochMs
            + " ms, RAM in " + env.ramDir;
    }

    /** Kills every QEMU this runtime started and removes its files. */
    @Override
    public void close() {
        for (QemuPrimary p : List.copyOf(primaries.values())) {
            p.close();
        }
        for (QemuShadow s : List.copyOf(shadows.values())) {
            s.close(true);
        }
        primaries.clear();
        shadows.clear();
        env.close();
        FileTrees.delete(env.workDir);
    }
}
