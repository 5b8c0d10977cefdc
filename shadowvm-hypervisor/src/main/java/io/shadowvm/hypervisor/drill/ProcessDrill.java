package io.shadowvm.hypervisor.drill;

import io.shadowvm.core.time.NanoClock;
import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.hypervisor.checkpoint.EpochAck;
import io.shadowvm.hypervisor.checkpoint.EpochLink;
import io.shadowvm.hypervisor.checkpoint.EpochResult;
import io.shadowvm.hypervisor.checkpoint.ReplicaSink;
import io.shadowvm.hypervisor.checkpoint.ShadowReplica;
import io.shadowvm.hypervisor.checkpoint.SnapshotPublisher;
import io.shadowvm.hypervisor.process.KvClient;
import io.shadowvm.hypervisor.process.ProcessCheckpointer;
import io.shadowvm.hypervisor.process.ProcessGuest;
import io.shadowvm.hypervisor.qemu.Accel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The process-guest failover drill: the sample key-value guest ({@code KvGuestMain}) on a mapped state file is
 * written to before every epoch, checkpointed (SIGSTOP, dirty pages, SIGCONT) into a replica behind a TCP sink that
 * also publishes each committed epoch to a read-only serving instance; then the primary is SIGKILLed after one more
 * write, the replica is promoted (the guest restarted on the replica's file) and the state is compared.
 * {@code counterAtAck} is the guest's heartbeat in the acked epoch, {@code counterAfterPromote} the heartbeat the
 * promoted guest reports first (it continues from the replica: equal or a few ticks more).
 */
public final class ProcessDrill {
    private ProcessDrill() {
    }

    /** What a process drill saw beyond the report: the serving instance's answers. */
    public record ProcessOutcome(DrillOutcome outcome, String servingValueOfLastAckedKey, String servingWriteReply) {
    }

    public static ProcessOutcome run(DrillOptions o, Consumer<String> log) {
        long stateBytes = Math.min((long) o.memoryMib() << 20, 64L << 20);
        Path root;
        try {
            root = Files.createTempDirectory(Path.of("/dev/shm"), "svm-pg-");
        } catch (IOException e) {
            throw new HypervisorException("cannot create a drill directory in /dev/shm: " + e.getMessage(), e);
        }
        ProcessGuest primary = null;
        ProcessGuest promoted = null;
        ProcessGuest serving = null;
        ReplicaSink sink = null;
        ShadowReplica replica = null;
        try {
            primary = ProcessGuest.startKv(root.resolve("primary.state"), stateBytes, null);
            KvClient kv = new KvClient(primary.port());
            String bootId = kv.state().get("boot_id");
            log.accept("process guest pid " + primary.pid() + " on port " + primary.port() + ", state " + (stateBytes >> 20) + " MiB");
            replica = ShadowReplica.open(root.resolve("replica"), root.resolve("replica.state"), stateBytes);
            SnapshotPublisher pub = new SnapshotPublisher(root.resolve("serve"), replica.ramFile());
            sink = new ReplicaSink(replica, "127.0.0.1", pub::publish);
            var tracking = QemuDrill.effectiveTracking(o.tracking(), Accel.TCG);
            log.accept("dirty tracking: " + tracking);
            List<EpochResult> results = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            Map<String, String> written = new LinkedHashMap<>();
            Map<String, String> expected = Map.of();
            long[] pausesUs = new long[o.epochs()];
            int steady = 0;
            long wire = 0;
            long dev = 0;
            long acked = -1;
            long counterAtAck = -1;
            double bootstrapMs = 0;
            String lastKey = null;
            try (EpochLink link = new EpochLink(sink.address());
                 ProcessCheckpointer ckpt = new ProcessCheckpointer(primary, tracking, NanoClock.SYSTEM)) {
                long next = System.nanoTime();
                for (int e = 0; e < o.epochs(); e++) {
                    next += o.epochMs() * 1_000_000L;
                    String key = "k" + e;
                    kv.call("SET " + key + " v" + e);
                    kv.call("INCR");
                    written.put(key, "v" + e);
                    while (next - System.nanoTime() > 0) {
                        LockSupport.parkNanos(next - System.nanoTime());
                    }
                    EpochResult r = ckpt.checkpoint(acked + 1);
                    results.add(r);
                    if (o.corruptLastEpoch() && e == o.epochs() - 1) {
                        QemuDrill.corruptDeviceState(ckpt.frame().buffer(), ckpt.frame().length());
                    }
                    EpochAck ack = link.ship(ckpt.frame().buffer(), ckpt.frame().length());
                    if (ack.acked()) {
                        acked = ack.epoch();
                        expected = new LinkedHashMap<>(written);
                        lastKey = key;
                        counterAtAck = replica.ram().isZeroPage(0) ? -1 : heartbeatOf(replica);
                        if (acked == 0) {
                            bootstrapMs = r.pauseUs() / 1000.0;
                        } else {
                            pausesUs[steady++] = r.pauseUs();
                            wire += r.frameBytes();
                            dev += r.devStateBytes();
                        }
                    } else {
                        refusals.add(ack.reason());
                        ckpt.retainDirty();
                    }
                    log.accept(String.format("epoch %d %s: pause %.2f ms, %d pages, %d wire bytes", r.epoch(),
                            ack.acked() ? "acked" : "REFUSED (" + ack.reason() + ")", r.pauseUs() / 1000.0, r.dirtyPages(), r.frameBytes()));
                }
            }
            if (acked < 0) {
                throw new HypervisorException("drill: the shadow acknowledged no epoch: " + refusals);
            }
            serving = ProcessGuest.startKv(null, stateBytes, root.resolve("serve"));
            KvClient sv = new KvClient(serving.port());
            String servedValue = sv.call("GET " + lastKey);
            String servedWrite = sv.call("SET x y");
            kv.call("SET lost after-last-ack");
            primary.kill();
            sink.stop();
            log.accept("primary SIGKILLed; last acked epoch " + acked + "; serving instance answered " + servedValue);
            log.accept("primary boot id " + bootId);
            long t0 = System.nanoTime();
            replica.promotable();
            promoted = ProcessGuest.startKv(replica.ramFile(), stateBytes, null);
            KvClient pk = new KvClient(promoted.port());
            Map<String, String> state = pk.state();
            long promoteMs = (System.nanoTime() - t0) / 1_000_000;
            Map<String, String> kvAfter = new LinkedHashMap<>();
            for (String k : written.keySet()) {
                String v = pk.call("GET " + k);
                if (v.startsWith("VALUE ")) {
                    kvAfter.put(k, v.substring(6));
                }
            }
            if (pk.call("GET lost").startsWith("VALUE ")) {
                kvAfter.put("lost", "after-last-ack");
            }
            long after = Long.parseLong(state.get("heartbeat"));
            log.accept("promoted in " + promoteMs + " ms: " + state);
            boolean resumed = bootId.equals(state.get("boot_id")) && after >= counterAtAck && after <= counterAtAck + 5;
            DrillReport report = new DrillReport("process", results.size(), acked, DrillReport.percentileMs(pausesUs, steady, 50),
                    DrillReport.percentileMs(pausesUs, steady, 99), steady == 0 ? 0 : dev / steady, steady == 0 ? 0 : wire / steady,
                    promoteMs, counterAtAck, after, resumed);
            return new ProcessOutcome(new DrillOutcome(report, results, refusals, expected, kvAfter, state, bootId, null, bootstrapMs, List.of()),
                    servedValue, servedWrite);
        } finally {
            for (ProcessGuest g : new ProcessGuest[] {promoted, serving, primary}) {
                if (g != null) {
                    g.close();
                }
            }
            if (sink != null) {
                sink.stop();
            }
            if (replica != null) {
                replica.delete();
            }
            QemuDrill.deleteTree(root);
        }
    }

    private static long heartbeatOf(ShadowReplica replica) {
        byte[] page = new byte[4096];
        replica.ram().readPage(0, page, 0);
        return java.nio.ByteBuffer.wrap(page).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(8);
    }
}
