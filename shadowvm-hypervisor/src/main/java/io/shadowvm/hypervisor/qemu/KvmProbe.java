package io.shadowvm.hypervisor.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Decides whether KVM really runs guests here. {@code /dev/kvm} existing is not enough: nested KVM on some cloud
 * machines boots no Linux guest (it stalls after the BIOS or fails instruction emulation). The probe boots the
 * test guest once with {@code -accel kvm} and waits up to {@link #BOOT_WAIT_MS} for its {@code GUEST-UP} line;
 * the verdict is cached per QEMU binary and kernel in {@code ~/.cache/shadowvm/kvm-probe-*} and in memory.
 */
public final class KvmProbe {
    public static final long BOOT_WAIT_MS = 15_000;
    private static final ConcurrentHashMap<String, Accel> MEMO = new ConcurrentHashMap<>();

    private KvmProbe() {
    }

    public static Accel cached(QemuConfig config) {
        Path dev = Path.of("/dev/kvm");
        if (!Files.isReadable(dev) || !Files.isWritable(dev)) {
            return Accel.TCG;
        }
        String key = Integer.toHexString((config.qemuBinary() + "|" + config.image().kernel()).hashCode());
        return MEMO.computeIfAbsent(key, k -> fromFileOrProbe(k, config));
    }

    private static Accel fromFileOrProbe(String key, QemuConfig config) {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "shadowvm", "kvm-probe-" + key);
        try {
            if (Files.exists(cache)) {
                return Accel.valueOf(Files.readString(cache).strip());
            }
            Accel verdict = probe(config);
            Files.createDirectories(cache.getParent());
            Files.writeString(cache, verdict.name());
            return verdict;
        } catch (IOException | IllegalArgumentException e) {
            return Accel.TCG;
        }
    }

    /** Boots the guest under KVM and reports KVM if it came up, TCG otherwise. */
    static Accel probe(QemuConfig config) throws IOException {
        Path dir = Files.createTempDirectory("svm-kvm");
        Path serial = dir.resolve("serial.log");
        Path ram = dir.resolve("probe.ram");
        QemuConfig c = new QemuConfig("kvm-probe", 128, dir, dir, config.image(), 0, 500, 0, Accel.KVM, false,
                config.qemuBinary(), null);
        Process p = new ProcessBuilder(QemuCommandLine.build(c, ram, dir.resolve("qmp.sock"), serial, Accel.KVM, false))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOOT_WAIT_MS);
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (Files.exists(serial) && Files.readString(serial).contains("GUEST-UP")) {
                    return Accel.KVM;
                }
                Thread.sleep(100);
            }
            return Accel.TCG;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Accel.TCG;
        } finally {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (var s = Files.list(dir)) {
                for (Path f : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
