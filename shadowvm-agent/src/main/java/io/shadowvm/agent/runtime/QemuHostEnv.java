package io.shadowvm.agent.runtime;

import io.shadowvm.core.ShadowVmException;
import io.shadowvm.hypervisor.qemu.Accel;
import io.shadowvm.hypervisor.qemu.GuestImage;
import io.shadowvm.hypervisor.qemu.QemuConfig;
import io.shadowvm.hypervisor.qemu.QemuVm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What one host gives its QEMU guests: a work directory (run directories: QMP socket, serial log, stderr), a tmpfs
 * directory for guest RAM and replicas, the address guests and sinks are reached at, free ports on it, and the
 * guest image (built once, on first use). Guest-visible settings are fixed here so a primary and its shadows on
 * other hosts build the same machine: TCG-or-KVM as the probe decides, idle workload, 500 ms heartbeat, no output
 * commit.
 */
final class QemuHostEnv {
    /** Guest RAM bounds accepted by {@link QemuConfig}. */
    static final long MIN_MEMORY_MIB = 64;
    static final long MAX_MEMORY_MIB = 65536;
    static final int HEARTBEAT_MS = 500;

    final String host;
    final Path workDir;
    final Path ramDir;
    final String bind;
    /** {@link #bind} as the IPv4 literal QEMU's port forwarding needs. */
    private final String forwardAddress;
    private final boolean ownsRamDir;
    private final Supplier<GuestImage> imageSource;
    private GuestImage image;
    private int runDirs;
    private String qemuBinary;
    private Accel accel;
    private final java.util.List<Path> tempRunDirs = new java.util.ArrayList<>();

    /**
     * @param ramDir tmpfs directory for RAM files, or null: {@code workDir/ram} when the work directory is on a tmpfs,
     *               else {@code /dev/shm/shadowvm-<host>-<pid>} (removed by {@link #close()})
     */
    QemuHostEnv(String host, Path workDir, Path ramDir, String bind, Supplier<GuestImage> imageSource) {
        this.host = host;
        this.workDir = workDir;
        this.bind = bind;
        this.imageSource = imageSource;
        try {
            Files.createDirectories(workDir);
            if (ramDir == null) {
                ramDir = isTmpfs(workDir) ? workDir.resolve("ram")
                    : Path.of("/dev/shm", "shadowvm-" + safe(host, 16) + "-" + ProcessHandle.current().pid());
                ownsRamDir = true;
            } else {
                ownsRamDir = false;
            }
            Files.createDirectories(ramDir);
        } catch (IOException e) {
            throw new ShadowVmException("cannot create the QEMU work directories " + workDir + " and " + ramDir + ": "
                + e.getMessage(), e);
        }
        this.ramDir = ramDir;
        this.forwardAddress = ipv4(bind);
    }

    private static String ipv4(String bind) {
        try {
            for (InetAddress a : InetAddress.getAllByName(bind)) {
                if (a instanceof java.net.Inet4Address) {
                    return a.getHostAddress();
                }
            }
        } catch (java.net.UnknownHostException e) {
            throw new ShadowVmException("bind address '" + bind + "' does not resolve: " + e.getMessage(), e);
        }
        throw new ShadowVmException("bind address '" + bind + "' has no IPv4 address (expected: QEMU's user-mode "
            + "networking forwards an IPv4 address)");
    }

    private static boolean isTmpfs(Path dir) throws IOException {
        FileStore s = Files.getFileStore(dir);
        return "tmpfs".equals(s.type());
    }

    /** The IPv4 literal QEMU forwards the guest's HTTP port on. */
    String forwardAddress() {
        return forwardAddress;
    }

    /** The guest image, built (or found cached) on first use. */
    GuestImage image() {
        if (image == null) {
            image = imageSource.get();
        }
        return image;
    }

    /** The guest's QEMU config on this host: its run directory, its port on {@link #bind}. */
    QemuConfig config(String qemuName, long memoryMib, int port) {
        return new QemuConfig(qemuName, (int) memoryMib, ramDir, newRunDir(), image(), 0, HEARTBEAT_MS, port, accel(),
            false, qemuBinary(), null, forwardAddress);
    }

    /**
     * QEMU started through {@code setpriv --pdeathsig KILL} (util-linux): the kernel SIGKILLs it when the thread that
     * started it (the agent's VM thread) dies, so a crashed or SIGKILLed agent leaves no guest running that the
     * controller has failed over (a returning agent never finds a stale primary still serving). Without setpriv,
     * QEMU itself. {@code exec} keeps the process id, so the runtime still holds QEMU's pid.
     */
    private String qemuBinary() {
        if (qemuBinary == null) {
            qemuBinary = QemuConfig.DEFAULT_QEMU;
            Path setpriv = Path.of("/usr/bin/setpriv");
            if (Files.isExecutable(setpriv)) {
                Path qemu = QemuVm.requireBinary(QemuConfig.DEFAULT_QEMU);
                Path wrapper = workDir.resolve("qemu-dies-with-agent");
                try {
                    Files.writeString(wrapper, "#!/bin/sh\n# QEMU gets SIGKILL when the agent thread that started it dies\n"
                        + "exec " + setpriv + " --pdeathsig KILL " + qemu + " \"$@\"\n");
                    wrapper.toFile().setExecutable(true);
                    qemuBinary = wrapper.toString();
                } catch (IOException e) {
                    throw new ShadowVmException("cannot write " + wrapper + ": " + e.getMessage(), e);
                }
            }
        }
        return qemuBinary;
    }

    /**
     * KVM or TCG, as the hypervisor's probe decides for plain {@code qemu-system-x86_64} and this image (its verdict
     * is cached per binary and kernel, so asking with the wrapper's path would probe again).
     */
    private Accel accel() {
        if (accel == null) {
            accel = QemuVm.resolveAccel(QemuConfig.of("accel-probe", 128, workDir, image(), 0));
        }
        return accel;
    }

    /** A fresh short run directory (Unix socket paths are limited to 107 bytes). */
    Path newRunDir() {
        Path d = workDir.resolve("run").resolve(Integer.toString(++runDirs));
        if (d.resolve("qmp.sock").toString().length() > 100) {
            try {
                Path t = Files.createTempDirectory(Path.of("/tmp"), "svmq");
                tempRunDirs.add(t);
                return t;
            } catch (IOException e) {
                throw new ShadowVmException("cannot create a QEMU run directory: " + e.getMessage(), e);
            }
        }
        return d;
    }

    /** Fails with a clear message when {@code bytes} (plus QEMU's margin) do not fit in the RAM directory. */
    void requireRamSpace(long bytes, String what) {
        try {
            long free = Files.getFileStore(ramDir).getUsableSpace();
            long need = bytes + QemuVm.RAM_DIR_MARGIN_BYTES;
            if (free < need) {
                throw new ShadowVmException(what + " needs " + (need >> 20) + " MiB in " + ramDir + " but only "
                    + (free >> 20) + " MiB are free (grow the tmpfs, e.g. mount -o remount,size=... /dev/shm)");
            }
        } catch (IOException e) {
            throw new ShadowVmException("cannot check free space in " + ramDir + ": " + e.getMessage(), e);
        }
    }

    /** A TCP port that is free on {@link #bind} now (QEMU or a sink binds it right after). */
    int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(bind))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new ShadowVmException("no free TCP port on " + bind + ": " + e.getMessage(), e);
        }
    }

    String address(int port) {
        return bind + ":" + port;
    }

    /** A QEMU name ({@code [a-z0-9-]{1,32}}) for {@code vm}'s instance: the VM name cleaned, then generation and role. */
    static String qemuName(String vm, long generation, String role) {
        String suffix = "-g" + generation + "-" + role;
        return safe(vm, Math.max(1, 32 - suffix.length())) + suffix;
    }

    /** {@code s} in {@code [a-z0-9-]}, at most {@code max} characters (a hash keeps changed names distinct). */
    static String safe(String s, int max) {
        String c = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (!c.isEmpty() && c.equals(s) && c.length() <= max) {
            return c;
        }
        String h = String.format(Locale.ROOT, "%06x", s.hashCode() & 0xFFFFFF);
        if (max <= h.length() + 1) {
            return h.substring(0, Math.max(1, Math.min(h.length(), max)));
        }
        return (c.isEmpty() ? "vm" : c.substring(0, Math.min(c.length(), max - h.length() - 1))) + "-" + h;
    }

    /** Parses {@code host:port}. */
    static java.net.InetSocketAddress parseAddress(String hostPort) {
        int i = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (i <= 0) {
            throw new ShadowVmException("sink address '" + hostPort + "' (expected: host:port)");
        }
        try {
            int port = Integer.parseInt(hostPort.substring(i + 1));
            if (port < 1 || port > 65535) {
                throw new ShadowVmException("sink address '" + hostPort + "': port " + port + " (expected: 1-65535)");
            }
            return new java.net.InetSocketAddress(hostPort.substring(0, i), port);
        } catch (NumberFormatException e) {
            throw new ShadowVmException("sink address '" + hostPort + "' (expected: host:port)");
        }
    }

    /** Validates the RAM size of a QEMU guest. */
    static void requireMemory(String vm, long memoryMib) {
        if (memoryMib < MIN_MEMORY_MIB || memoryMib > MAX_MEMORY_MIB) {
            throw new ShadowVmException("memory of qemu VM " + vm + ": " + memoryMib + " MiB (expected: "
                + MIN_MEMORY_MIB + "-" + MAX_MEMORY_MIB + ")");
        }
    }

    /** Removes the RAM directory when this environment made it. */
    void close() {
        if (ownsRamDir) {
            FileTrees.delete(ramDir);
        }
        tempRunDirs.forEach(FileTrees::delete);
        tempRunDirs.clear();
    }
}
