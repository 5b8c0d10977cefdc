package io.shadowvm.hypervisor.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the {@code qemu-system-x86_64} argument list. The guest-visible part is a pure function of the
 * {@link QemuConfig} so that a restore with {@code -S -incoming defer} loads the primary's migration stream
 * (machine type pinned to {@code pc-q35-7.2}, same devices, netdev id {@code n0} of backend {@code user},
 * {@code romfile=} empty, same kernel command line).
 */
public final class QemuCommandLine {
    /** The machine type; pinned so that a newer QEMU on the shadow host still loads the stream. */
    public static final String MACHINE = "pc-q35-7.2";
    /** The guest's MAC address, fixed so the restored NIC is the same NIC. */
    public static final String MAC = "52:54:00:53:56:01";

    private QemuCommandLine() {
    }

    /**
     * @param ramFile the shared RAM file (created by QEMU when absent)
     * @param qmpSocket the QMP socket path
     * @param serialLog where the guest's serial console goes
     * @param accel the resolved accelerator ({@link Accel#KVM} or {@link Accel#TCG})
     * @param incoming add {@code -S -incoming defer}: wait for {@code migrate-incoming}
     */
    public static List<String> build(QemuConfig c, Path ramFile, Path qmpSocket, Path serialLog, Accel accel, boolean incoming) {
        List<String> a = new ArrayList<>();
        if (c.netns() != null) {
            a.addAll(List.of("ip", "netns", "exec", c.netns()));
        }
        String hb = String.format(Locale.ROOT, "%d.%03d", c.heartbeatMs() / 1000, c.heartbeatMs() % 1000);
        a.addAll(List.of(c.qemuBinary(), "-name", c.name(),
                "-nodefaults", "-no-user-config", "-display", "none", "-vga", "none",
                "-accel", accel == Accel.KVM ? "kvm" : "tcg", "-smp", "1", "-m", c.memoryMib() + "M",
                "-object", "memory-backend-file,id=mem,size=" + c.memoryMib() + "M,mem-path=" + ramFile + ",share=on"
                        + (incoming ? "" : ",prealloc=on"),
                "-machine", MACHINE + ",memory-backend=mem",
                "-kernel", c.image().kernel().toString(), "-initrd", c.image().initrd().toString(),
                "-append", "console=ttyS0 quiet panic=-1 sv.dirty=" + c.dirtyMib() + " sv.hb=" + hb,
                "-serial", "file:" + serialLog,
                "-netdev", "user,id=n0" + (c.hostPort() > 0 ? ",hostfwd=tcp:" + c.hostAddress() + ":" + c.hostPort() + "-:80" : ""),
                "-device", "virtio-net-pci,netdev=n0,romfile=,mac=" + MAC));
        if (c.outputCommit()) {
            // Two buffers on guest -> outside packets (queue=rx; rx filters see packets in reverse declaration order):
            // fbc collects the running epoch's output, fbh holds output of checkpointed epochs until their ack.
            a.addAll(List.of("-object", "filter-buffer,id=fbh,netdev=n0,queue=rx,interval=1000000000,status=off",
                    "-object", "filter-buffer,id=fbc,netdev=n0,queue=rx,interval=1000000000,status=off"));
        }
        a.addAll(List.of("-qmp", "unix:" + qmpSocket + ",server=on,wait=off", "-no-reboot"));
        if (incoming) {
            a.addAll(List.of("-S", "-incoming", "defer"));
        }
        return a;
    }
}
