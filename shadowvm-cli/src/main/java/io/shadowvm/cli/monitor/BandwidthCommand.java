package io.shadowvm.cli.monitor;

import io.shadowvm.monitor.PeerAddresses;
import io.shadowvm.monitor.probe.BandwidthEstimator;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowvm monitor bandwidth --to HOST:PORT}: an on-demand timed transfer to a peer's responder. */
@Command(name = "bandwidth", mixinStandardHelpOptions = true,
    description = "Estimate the bandwidth to a peer's probe responder with a short timed transfer (loads the path).")
public final class BandwidthCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", description = "the peer's responder")
    String to;

    @Option(names = "--bytes", defaultValue = "4194304", description = "bytes to send, 65536-1073741824 (default ${DEFAULT-VALUE})")
    long bytes;

    @Option(names = "--timeout-ms", defaultValue = "30000", description = "give up after this long (default ${DEFAULT-VALUE})")
    int timeoutMs;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
        BandwidthEstimator.Result r = BandwidthEstimator.measure(PeerAddresses.parseHostPort(to, "--to"), bytes, timeoutMs);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.printf(Locale.ROOT, "{\"to\":\"%s\",\"bytes\":%d,\"receiver_mbit\":%.3f,\"sender_mbit\":%.3f,"
                + "\"receiver_us\":%d,\"sender_us\":%d}%n", to, r.bytes(), r.receiverMbit(), r.senderMbit(),
                r.receiverElapsedUs(), r.senderElapsedUs());
        } else {
            out.printf(Locale.ROOT, "%s: %.2f Mbit/s at the receiver (%d bytes in %.1f ms); %.2f Mbit/s end to end%n",
                to, r.receiverMbit(), r.bytes(), r.receiverElapsedUs() / 1e3, r.senderMbit());
        }
        out.flush();
        return 0;
    }
}
