package io.shadowvm.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.hypervisor.qmp.QmpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One running {@code qemu-system-x86_64} and the only owner of its QMP socket. The RAM lives in
 * {@link #ramFile()} (a {@code memory-backend-file} with {@code share=on}) so the checkpointer can map it.
 * {@link #close()} kills QEMU and removes the run files; the RAM file is removed only when this VM created it.
 */
public final class QemuVm implements AutoCloseable {
    public static final Duration QMP_TIMEOUT = Duration.ofSeconds(10);
    /** Free space kept on the RAM tmpfs beyond the guest's RAM. */
    public static final long RAM_DIR_MARGIN_BYTES = 64L << 20;

    private final QemuConfig config;
    private final Process process;
    private final Path ramFile;
    private final Path qmpSocket;
    private final Path serialLog;
    private final Path stderrLog;
    private final boolean ownsRamFile;
    private final Accel accel;
    private final long spawnNs;
    private QmpClient qmp;
    private VmLifecycle lifecycle = VmLifecycle.STARTING;

    private QemuVm(QemuConfig config, Process process, Path ramFile, boolean ownsRamFile, Accel accel, long spawnNs) {
        this.config = config;
        this.process = process;
        this.ramFile = ramFile;
        this.ownsRamFile = ownsRamFile;
        this.accel = accel;
        this.spawnNs = spawnNs;
        this.qmpSocket = config.runDir().resolve("qmp.sock");
        this.serialLog = config.runDir().resolve("serial.log");
        this.stderrLog = config.runDir().resolve("qemu.stderr");
    }

    /** Boots a fresh guest with its RAM in {@code ramDir/<name>.ram} (created and preallocated by QEMU). */
    public static QemuVm boot(QemuConfig config) {
        Path ram = config.ramDir().resolve(config.name() + ".ram");
        try {
            // a leftover of a killed run (QEMU refuses a file of another size, and must not boot on old RAM)
            Files.deleteIfExists(ram);
        } catch (IOException e) {
            throw new HypervisorException("cannot remove stale RAM file " + ram + ": " + e.getMessage(), e);
        }
        checkRamSpace(config, ram);
        QemuVm vm = spawn(config, ram, true, false);
        vm.lifecycle = VmLifecycle.RUNNING;
        return vm;
    }

    /**
     * Starts QEMU paused on an existing RAM file, waiting for {@code migrate-incoming} ({@code -S -incoming
     * defer}). The RAM file is not modified by the start and is not deleted by {@link #close()}.
     */
    public static QemuVm startIncoming(QemuConfig config, Path existingRamFile) {
        if (!Files.isRegularFile(existingRamFile)) {
            throw new HypervisorException("RAM file for VM " + config.name() + " does not exist: " + existingRamFile);
        }
        QemuVm vm = spawn(config, existingRamFile, false, true);
        vm.lifecycle = VmLifecycle.PAUSED;
        return vm;
    }

    /** Resolves {@link Accel#AUTO} with the cached KVM probe; checks that the binary exists. */
    public static Accel resolveAccel(QemuConfig config) {
        requireBinary(config.qemuBinary());
        return config.accel() == Accel.AUTO ? KvmProbe.cached(config) : config.accel();
    }

    public static Path requireBinary(String binary) {
        if (binary.contains("/")) {
            Path p = Path.of(binary);
            if (Files.isExecutable(p)) {
                return p;
            }
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                Path p = Path.of(dir, binary);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new QemuNotFoundException(binary + " not found on PATH (Debian: apt-get install qemu-system-x86, "
                + "or run scripts/install-deps.sh as root)");
    }

    private static void checkRamSpace(QemuConfig config, Path ram) {
        try {
            Files.createDirectories(config.ramDir());
            long free = Files.getFileStore(config.ramDir()).getUsableSpace();
            long existing = Files.exists(ram) ? Files.size(ram) : 0;
            long need = config.memoryBytes() + RAM_DIR_MARGIN_BYTES - existing;
            if (free < need) {
                throw new RamStorageException("RAM file of VM " + config.name() + " needs " + (need >> 20) + " MiB in "
                        + config.ramDir() + " but only " + (free >> 20) + " MiB are free");
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot check free space in " + config.ramDir() + ": " + e.getMessage(), e);
        }
    }

    private static QemuVm spawn(QemuConfig config, Path ram, boolean ownsRam, boolean incoming) {
        Accel accel = resolveAccel(config);
        try {
            Files.createDirectories(config.runDir());
            Path sock = config.runDir().resolve("qmp.sock");
            if (sock.toString().length() > 100) {
                throw new HypervisorException("QMP socket path of VM " + config.name() + " is " + sock.toString().length()
                        + " bytes long (expected: at most 100): " + sock);
            }
            Files.deleteIfExists(sock);
            Path serial = config.runDir().resolve("serial.log");
            Files.deleteIfExists(serial);
            List<String> cmd = QemuCommandLine.build(config, ram, sock, serial, accel, incoming);
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(config.runDir().resolve("qemu.stderr").toFile()).start();
            QemuVm vm = new QemuVm(config, p, ram, ownsRam, accel, t0);
            try {
                vm.connectQmp();
            } catch (RuntimeException e) {
                vm.close();
                throw e;
            }
            return vm;
        } catch (IOException e) {
            throw new HypervisorException("cannot start QEMU for VM " + config.name() + ": " + e.getMessage(), e);
        }
    }

    private void connectQmp() {
        long deadline = System.nanoTime() + QMP_TIMEOUT.toNanos();
        while (!Files.exists(qmpSocket)) {
            if (!process.isAlive()) {
                throw new HypervisorException("QEMU for VM " + config.name() + " exited with " + process.exitValue()
                        + " before opening QMP: " + stderrTail());
            }
            if (System.nanoTime() > deadline) {
                throw new HypervisorException("QEMU for VM " + config.name() + " opened no QMP socket within "
                        + QMP_TIMEOUT.toMillis() + " ms: " + stderrTail());
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HypervisorException("interrupted while starting VM " + config.name(), e);
            }
        }
        qmp = QmpClient.connect(qmpSocket, QMP_TIMEOUT);
    }

    /** The last line QEMU wrote on stderr (for error messages). */
    public String stderrTail() {
        try {
            String s = Files.exists(stderrLog) ? Files.readString(stderrLog).strip() : "";
            return s.isEmpty() ? "(no stderr)" : s.substring(s.lastIndexOf('\n') + 1);
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    public QmpClient qmp() {
        requireAlive("use QMP");
        return qmp;
    }

    /** Stops the guest's CPUs ({@code stop}). */
    public void pause() {
        requireAlive("pause");
        qmp.execute("stop", QMP_TIMEOUT);
        lifecycle = VmLifecycle.PAUSED;
    }

    /** Resumes the guest's CPUs ({@code cont}); also valid after a device-state migration ({@code postmigrate}). */
    public void resume() {
        requireAlive("resume");
        qmp.execute("cont", QMP_TIMEOUT);
        lifecycle = VmLifecycle.RUNNING;
    }

    /** QEMU's run state ({@code running}, {@code paused}, {@code postmigrate}, {@code inmigrate}, ...). */
    public String status() {
        requireAlive("query status");
        JsonNode r = qmp.execute("query-status", QMP_TIMEOUT);
        return r.path("status").asText();
    }

    public VmLifecycle lifecycle() {
        if (lifecycle != VmLifecycle.DEAD && !process.isAlive()) {
            lifecycle = VmLifecycle.DEAD;
        }
        return lifecycle;
    }

    private void requireAlive(String what) {
        if (lifecycle() == VmLifecycle.DEAD) {
            throw new HypervisorException("cannot " + what + " VM " + config.name() + ": QEMU is not running (" + stderrTail() + ")");
        }
    }

    /** SIGKILL, as a host crash would; waits for the process to be gone. Idempotent. */
    public void kill() {
        if (qmp != null) {
            qmp.close();
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new HypervisorException("QEMU pid " + process.pid() + " of VM " + config.name() + " survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lifecycle = VmLifecycle.DEAD;
    }

    public long pid() {
        return process.pid();
    }

    public Path ramFile() {
        return ramFile;
    }

    public Path serialLog() {
        return serialLog;
    }

    public QemuConfig config() {
        return config;
    }

    public Accel accel() {
        return accel;
    }

    /** Nanos ({@link System#nanoTime()}) at spawn, for start-up timings. */
    public long spawnNs() {
        return spawnNs;
    }

    /** Kills QEMU and removes the QMP socket, and the RAM file when this VM created it. */
    @Override
    public void close() {
        kill();
        try {
            Files.deleteIfExists(qmpSocket);
            if (ownsRamFile) {
                Files.deleteIfExists(ramFile);
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot clean up VM " + config.name() + ": " + e.getMessage(), e);
        }
    }
}
