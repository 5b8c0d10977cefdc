package io.shadowvm.cli.vm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowvm.hypervisor.checkpoint.DirtyTracking;
import io.shadowvm.hypervisor.drill.DrillOptions;
import io.shadowvm.hypervisor.drill.DrillReport;
import io.shadowvm.hypervisor.drill.EpochTransport;
import io.shadowvm.hypervisor.drill.ProcessDrill;
import io.shadowvm.hypervisor.drill.QemuDrill;
import io.shadowvm.hypervisor.qemu.Accel;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shadowvm vm drill}: boots a guest, runs its workload, shadows it epoch by epoch to a sink (promoting in a
 * fresh network namespace when root), SIGKILLs the primary mid-run, promotes the shadow and checks that the guest
 * continued from the last acknowledged epoch. Exit 0 when it did, 1 when it did not.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
    description = "Failover drill: shadow a guest, SIGKILL it, promote the shadow, check it continued.")
public final class VmDrillCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--driver", defaultValue = "qemu", description = "qemu or process (default ${DEFAULT-VALUE}).")
    Driver driver;

    @Option(names = "--epochs", defaultValue = "6", description = "Checkpoints before the kill, 2-1000 (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--epoch-ms", defaultValue = "200", description = "Epoch period in ms, 20-10000 (default ${DEFAULT-VALUE}).")
    int epochMs;

    @Option(names = "--memory-mib", defaultValue = "128", description = "Guest RAM (process guests: state file, at most 64) (default ${DEFAULT-VALUE}).")
    int memoryMib;

    @Option(names = "--dirty-mib", defaultValue = "8", description = "MiB the QEMU guest rewrites in a loop; 0 = idle (default ${DEFAULT-VALUE}).")
    int dirtyMib;

    @Option(names = "--tracking", defaultValue = "SOFT_DIRTY",
        description = "Dirty-page tracking: ${COMPLETION-CANDIDATES} (SOFT_DIRTY falls back to HASH_SCAN where the kernel or KVM cannot) (default ${DEFAULT-VALUE}).")
    DirtyTracking tracking;

    @Option(names = "--accel", defaultValue = "AUTO", description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}: KVM only if it really boots a guest here).")
    Accel accel;

    @Option(names = "--transport", defaultValue = "SYNC",
        description = "How epochs travel: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}; process guests always use BUILTIN).")
    EpochTransport transport;

    @Option(names = "--serving-clones", description = "QEMU + SYNC: also start a serving clone from an acked epoch and replace it with a newer one.")
    boolean servingClones;

    @Option(names = "--no-netns", description = "Promote in this network namespace even when root.")
    boolean noNetns;

    @Option(names = "--json", description = "Print one JSON object instead of progress lines.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DrillOptions o = new DrillOptions(epochs, epochMs, memoryMib, driver == Driver.qemu ? dirtyMib : 0, tracking, accel, !noNetns, false,
                driver == Driver.qemu ? transport : EpochTransport.BUILTIN, servingClones);
        Consumer<String> log = json ? s -> { } : s -> {
            out.println(s);
            out.flush();
        };
        DrillReport r = driver == Driver.qemu ? QemuDrill.run(o, log).report() : ProcessDrill.run(o, log).outcome().report();
        Map<String, Object> m = r.toMap();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            m.forEach((k, v) -> out.printf("%-22s %s%n", k, v));
        }
        out.flush();
        if (!r.resumedWithoutReboot()) {
            err.println("shadowvm: the promoted guest did not continue from epoch " + r.lastAckedEpoch()
                    + " (heartbeat at ack " + r.counterAtAck() + ", after promotion " + r.counterAfterPromote() + ")");
            return 1;
        }
        return 0;
    }
}
