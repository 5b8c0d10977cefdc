package io.shadowvm.cli.vm;

import io.shadowvm.hypervisor.HypervisorException;
import io.shadowvm.hypervisor.process.ProcessGuest;
import io.shadowvm.hypervisor.qemu.Accel;
import io.shadowvm.hypervisor.qemu.GuestImage;
import io.shadowvm.hypervisor.qemu.QemuConfig;
import io.shadowvm.hypervisor.qemu.QemuVm;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shadowvm vm run}: starts one guest for trying things by hand and keeps it running until Ctrl-C (or
 * {@code --seconds}); prints where its HTTP/TCP service, QMP socket and console are. Everything is removed on exit.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run one guest until Ctrl-C.")
public final class VmRunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--driver", defaultValue = "qemu", description = "qemu or process (default ${DEFAULT-VALUE}).")
    Driver driver;

    @Option(names = "--name", required = true, description = "VM name, [a-z0-9-]{1,32}.")
    String name;

    @Option(names = "--memory-mib", defaultValue = "128", description = "Guest RAM / process state size (default ${DEFAULT-VALUE}).")
    int memoryMib;

    @Option(names = "--dirty-mib", defaultValue = "0", description = "MiB the QEMU guest rewrites in a loop (default ${DEFAULT-VALUE}).")
    int dirtyMib;

    @Option(names = "--port", defaultValue = "10080", description = "Host port on 127.0.0.1 forwarded to the guest's HTTP port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--accel", defaultValue = "AUTO", description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Accel accel;

    @Option(names = "--output-commit", description = "Start with a filter-buffer on the guest's NIC (released by checkpoints).")
    boolean outputCommit;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (0 = until Ctrl-C).")
    int seconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("svm-run-");
        CountDownLatch stop = new CountDownLatch(1);
        AutoCloseable guest;
        if (driver == Driver.qemu) {
            QemuConfig c = new QemuConfig(name, memoryMib, QemuConfig.DEFAULT_RAM_DIR, dir, GuestImage.build(), dirtyMib, 500, port,
                    accel, outputCommit, null, null);
            QemuVm vm = QemuVm.boot(c);
            guest = vm;
            out.printf("VM %s running: pid %d, %s, RAM %s%n  HTTP  curl http://127.0.0.1:%d/cgi-bin/state  (kv: /cgi-bin/kv?KEY=VALUE, /cgi-bin/incr)%n"
                    + "  QMP   %s (owned by this process)%n  console %s%n", name, vm.pid(), vm.accel(), vm.ramFile(), port,
                    dir.resolve("qmp.sock"), vm.serialLog());
        } else {
            if (memoryMib > 1024) {
                throw new HypervisorException("invalid --memory-mib for a process guest: " + memoryMib + " (expected: 1-1024)");
            }
            ProcessGuest g = ProcessGuest.startKv(Path.of("/dev/shm", name + ".state"), (long) memoryMib << 20, null);
            guest = g;
            out.printf("process guest %s running: pid %d, state /dev/shm/%s.state%n  TCP   printf 'SET a 1\\nGET a\\nSTATE\\n' | nc 127.0.0.1 %d%n",
                    name, g.pid(), name, g.port());
        }
        out.flush();
        Thread hook = new Thread(stop::countDown);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (seconds > 0) {
                stop.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
            } else {
                stop.await();
            }
        } finally {
            guest.close();
            if (driver == Driver.process) {
                Files.deleteIfExists(Path.of("/dev/shm", name + ".state"));
            }
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
