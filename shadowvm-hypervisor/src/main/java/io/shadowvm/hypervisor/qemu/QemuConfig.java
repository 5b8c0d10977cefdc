package io.shadowvm.hypervisor.qemu;

import io.shadowvm.hypervisor.HypervisorException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What defines a QEMU guest. Everything that enters the migration stream (machine, memory size, devices, netdev
 * ids and backend type, kernel command line) must be identical on the primary and on the restored shadow; only
 * host-side values ({@link #ramDir}, {@link #runDir}, {@link #hostPort}, {@link #netns},
 * {@link #hostAddress}) may differ. Validated
 * once, in the constructor.
 *
 * @param name VM name, {@code [a-z0-9-]{1,32}}
 * @param memoryMib guest RAM, 64..65536 MiB
 * @param ramDir tmpfs directory for the shared RAM file (default {@code /dev/shm})
 * @param runDir directory for the QMP socket, serial log and QEMU's stderr (short: Unix socket paths max 107 bytes)
 * @param image kernel + initramfs
 * @param dirtyMib guest workload: MiB the guest rewrites in a loop (0 = idle)
 * @param heartbeatMs guest heartbeat period, 50..10000 ms
 * @param hostPort host TCP port on {@code hostAddress} forwarded to the guest's HTTP port 80 (0 = none)
 * @param accel accelerator
 * @param outputCommit hold guest output in a {@code filter-buffer} until released (Remus output commit)
 * @param qemuBinary the emulator, looked up on PATH when not absolute
 * @param netns network namespace to run QEMU in ({@code null} = the caller's)
 * @param hostAddress the host address {@link #hostPort} listens on (an IPv4 literal; {@code null} = 127.0.0.1)
 */
public record QemuConfig(
        String name,
        int memoryMib,
        Path ramDir,
        Path runDir,
        GuestImage image,
        int dirtyMib,
        int heartbeatMs,
        int hostPort,
        Accel accel,
        boolean outputCommit,
        String qemuBinary,
        String netns,
        String hostAddress) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");
    public static final Path DEFAULT_RAM_DIR = Path.of("/dev/shm");
    public static final String DEFAULT_QEMU = "qemu-system-x86_64";
    public static final String DEFAULT_HOST_ADDRESS = "127.0.0.1";
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** A config whose forwarded port listens on 127.0.0.1. */
    public QemuConfig(String name, int memoryMib, Path ramDir, Path runDir, GuestImage image, int dirtyMib, int heartbeatMs,
                      int hostPort, Accel accel, boolean outputCommit, String qemuBinary, String netns) {
        this(name, memoryMib, ramDir, runDir, image, dirtyMib, heartbeatMs, hostPort, accel, outputCommit, qemuBinary, netns, null);
    }

    public QemuConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new HypervisorException("invalid VM name: '" + name + "' (expected: [a-z0-9-]{1,32})");
        }
        if (memoryMib < 64 || memoryMib > 65536) {
            throw new HypervisorException("invalid memoryMib for VM " + name + ": " + memoryMib + " (expected: 64-65536)");
        }
        if (dirtyMib < 0 || dirtyMib > memoryMib / 2) {
            throw new HypervisorException("invalid dirtyMib for VM " + name + ": " + dirtyMib + " (expected: 0-" + memoryMib / 2 + ")");
        }
        if (heartbeatMs < 50 || heartbeatMs > 10_000) {
            throw new HypervisorException("invalid heartbeatMs for VM " + name + ": " + heartbeatMs + " (expected: 50-10000)");
        }
        if (hostPort < 0 || hostPort > 65535) {
            throw new HypervisorException("invalid hostPort for VM " + name + ": " + hostPort + " (expected: 0-65535)");
        }
        if (netns != null && !NAME.matcher(netns).matches()) {
            throw new HypervisorException("invalid netns for VM " + name + ": '" + netns + "' (expected: [a-z0-9-]{1,32})");
        }
        if (ramDir == null || runDir == null || image == null || accel == null) {
            throw new HypervisorException("VM " + name + ": ramDir, runDir, image and accel are required");
        }
        qemuBinary = qemuBinary == null ? DEFAULT_QEMU : qemuBinary;
        hostAddress = hostAddress == null ? DEFAULT_HOST_ADDRESS : hostAddress;
        java.util.regex.Matcher m = IPV4.matcher(hostAddress);
        boolean ok = m.matches();
        for (int i = 1; ok && i <= 4; i++) {
            ok = Integer.parseInt(m.group(i)) <= 255;
        }
        if (!ok) {
            throw new HypervisorException("invalid hostAddress for VM " + name + ": '" + hostAddress
                    + "' (expected: an IPv4 literal such as 127.0.0.1)");
        }
    }

    /** A config with the defaults: /dev/shm, idle guest, 500 ms heartbeat, TCG-or-KVM, no output commit. */
    public static QemuConfig of(String name, int memoryMib, Path runDir, GuestImage image, int hostPort) {
        return new QemuConfig(name, memoryMib, DEFAULT_RAM_DIR, runDir, image, 0, 500, hostPort, Accel.AUTO, false, null, null);
    }

    public QemuConfig withDirtyMib(int mib) {
        return new QemuConfig(name, memoryMib, ramDir, runDir, image, mib, heartbeatMs, hostPort, accel, outputCommit, qemuBinary, netns, hostAddress);
    }

    public QemuConfig withAccel(Accel a) {
        return new QemuConfig(name, memoryMib, ramDir, runDir, image, dirtyMib, heartbeatMs, hostPort, a, outputCommit, qemuBinary, netns, hostAddress);
    }

    public QemuConfig withOutputCommit(boolean on) {
        return new QemuConfig(name, memoryMib, ramDir, runDir, image, dirtyMib, heartbeatMs, hostPort, accel, on, qemuBinary, netns, hostAddress);
    }

    public QemuConfig withHeartbeatMs(int ms) {
        return new QemuConfig(name, memoryMib, ramDir, runDir, image, dirtyMib, ms, hostPort, accel, outputCommit, qemuBinary, netns, hostAddress);
    }

    /** The same guest as seen from another host: other run directory, port and namespace. */
    public QemuConfig onHost(Path otherRunDir, int otherHostPort, String otherNetns) {
        return new QemuConfig(name, memoryMib, ramDir, otherRunDir, image, dirtyMib, heartbeatMs, otherHostPort, accel, outputCommit,
                qemuBinary, otherNetns, hostAddress);
    }

    public QemuConfig withRamDir(Path dir) {
        return new QemuConfig(name, memoryMib, dir, runDir, image, dirtyMib, heartbeatMs, hostPort, accel, outputCommit, qemuBinary, netns, hostAddress);
    }

    /** The same guest with its forwarded port listening on {@code address} (host-side only: not in the migration stream). */
    public QemuConfig withHostAddress(String address) {
        return new QemuConfig(name, memoryMib, ramDir, runDir, image, dirtyMib, heartbeatMs, hostPort, accel, outputCommit, qemuBinary, netns,
                address);
    }

    public long memoryBytes() {
        return (long) memoryMib << 20;
    }
}
