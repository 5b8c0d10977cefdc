package io.shadowvm.cli.sync;

import io.shadowvm.core.time.NanoClock;
import io.shadowvm.sync.EpochLoop;
import io.shadowvm.sync.EpochTicket;
import io.shadowvm.sync.SourceStats;
import io.shadowvm.sync.SyncException;
import io.shadowvm.sync.SyncSource;
import io.shadowvm.sync.codec.Compression;
import io.shadowvm.sync.region.MappedFileRegion;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shadowvm sync source}: replicate FILE to the sinks, one epoch every {@code --epoch-ms} (hash-scan
 * dirty tracking; no pause, so use it on a file whose writer is stopped or tolerant of torn pages).
 */
@Command(name = "source", mixinStandardHelpOptions = true,
    description = "Replicate FILE to one or more sinks, an epoch every --epoch-ms. On SIGTERM/SIGINT: finish the "
        + "epoch in flight, wait for its ack, print the totals, exit 0.")
public final class SourceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--region", required = true, paramLabel = "FILE", description = "The region file to replicate.")
    Path region;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]", converter = HostPort.ListConverter.class,
        description = "Sinks to replicate to.")
    List<InetSocketAddress> to;

    @Option(names = "--epoch-ms", required = true, paramLabel = "MS", description = "Epoch interval in milliseconds.")
    long epochMs;

    static final class Duration2 {
        @Option(names = "--epochs", paramLabel = "N", description = "Take N epochs, wait for the last ack, exit.")
        Integer epochs;

        @Option(names = "--until-stopped", description = "Take epochs until SIGTERM/SIGINT.")
        boolean untilStopped;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Duration2 duration;

    @Option(names = "--compress", paramLabel = "lz4|zstd|none", defaultValue = "lz4", description = "Batch compression (default: ${DEFAULT-VALUE}).")
    String compress;

    @Option(names = "--bandwidth-mib", paramLabel = "N", description = "Cap replication traffic at N MiB/s (epochs lengthen).")
    Long bandwidthMib;

    @Option(names = "--verify", description = "Send a whole-region digest per epoch; sinks refuse an epoch that differs.")
    boolean verify;

    @Option(names = "--ack-timeout-ms", paramLabel = "MS", defaultValue = "60000",
        description = "How long to wait for the last epoch's ack (default: ${DEFAULT-VALUE}).")
    long ackTimeoutMs;

    @Option(names = "--json", description = "Print the totals as one JSON line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (epochMs < 1 || epochMs > 3_600_000) {
            throw new SyncException("invalid --epoch-ms: " + epochMs + " (expected: 1-3600000)");
        }
        if (duration.epochs != null && duration.epochs < 1) {
            throw new SyncException("invalid --epochs: " + duration.epochs + " (expected: >= 1)");
        }
        if (bandwidthMib != null && bandwidthMib < 1) {
            throw new SyncException("invalid --bandwidth-mib: " + bandwidthMib + " (expected: >= 1)");
        }
        Compression compression = Compression.parse(compress);
        StopSignal stop = new StopSignal().install();
        MappedFileRegion r = MappedFileRegion.openReadOnly(region);
        try (SyncSource source = SyncSource.start(new SyncSource.Context().region(r).shadows(to)
                .compression(compression).verify(verify)
                .bandwidthBytesPerSec(bandwidthMib == null ? 0 : bandwidthMib << 20))) {
            if (!source.awaitShadowsReady(Duration.ofMillis(Math.min(ackTimeoutMs, 10_000)))) {
                err.println("shadowvm: not every sink answered yet (" + String.join("; ", source.shadowStatus())
                    + "); they catch up when they do");
                err.flush();
            }
            EpochLoop loop = new EpochLoop(source, epochMs, NanoClock.SYSTEM);
            EpochLoop.Pausable take = EpochLoop.unpaused(() -> new byte[0]);
            int taken = 0;
            while (!stop.stopped() && (duration.untilStopped || taken < duration.epochs)) {
                if (loop.poll(take) != null) {
                    taken++;
                } else {
                    LockSupport.parkNanos(Math.max(100_000, Math.min(loop.dueInNs(), 1_000_000)));
                }
            }
            EpochTicket last = loop.previous();
            if (last != null && !source.awaitAcked(last, Duration.ofMillis(ackTimeoutMs))) {
                throw new SyncException("epoch " + last.epoch() + " was not acknowledged within " + ackTimeoutMs
                    + " ms: " + String.join("; ", source.shadowStatus()));
            }
            SourceStats s = source.stats();
            if (json) {
                out.println(s.toJson());
            } else {
                out.println(String.format(Locale.ROOT,
                    "epochs %d, last acked %d, %d raw dirty bytes -> %d on the wire (%.1fx), pause p50 %.2f ms p99 %.2f ms, "
                        + "lag p99 %.2f ms, %d lengthened",
                    s.epochs(), s.lastAckedEpoch(), s.rawDirtyBytes(), s.wireBytes(),
                    s.wireBytes() == 0 ? 0 : (double) s.rawDirtyBytes() / s.wireBytes(), s.pauseP50Ms(), s.pauseP99Ms(),
                    s.lagP99Ms(), s.lengthenedEpochs()));
            }
            out.flush();
        }
        return 0;
    }
}
