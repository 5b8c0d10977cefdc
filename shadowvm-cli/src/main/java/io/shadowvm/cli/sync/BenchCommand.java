package io.shadowvm.cli.sync;

import io.shadowvm.sync.SyncException;
import io.shadowvm.sync.codec.Compression;
import io.shadowvm.sync.load.LoopbackBenchmark;
import io.shadowvm.sync.load.WritePattern;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shadowvm sync bench}: a source and a sink in this process over loopback, with a synthetic writer. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Replicate a synthetic region over loopback and report wire reduction, epoch latency and CPU.")
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--region-mib", required = true, paramLabel = "M", description = "Region size in MiB.")
    long regionMib;

    @Option(names = "--dirty-percent", required = true, paramLabel = "P", description = "Pages dirtied per epoch, in percent.")
    double dirtyPercent;

    @Option(names = "--pattern", required = true, paramLabel = "random|sequential|structured", description = "How pages are dirtied.")
    String pattern;

    @Option(names = "--epochs", required = true, paramLabel = "N", description = "Measured epochs (after a bootstrap epoch).")
    int epochs;

    @Option(names = "--epoch-ms", paramLabel = "MS", defaultValue = "0",
        description = "Epoch interval; 0 = back to back (default: ${DEFAULT-VALUE}).")
    long epochMs;

    @Option(names = "--compress", paramLabel = "lz4|zstd|none", defaultValue = "lz4", description = "Batch compression (default: ${DEFAULT-VALUE}).")
    String compress;

    @Option(names = "--tracker", paramLabel = "write|hash", defaultValue = "write",
        description = "Dirty tracking: write (the writer goes through the region API) or hash (scan every page); default: ${DEFAULT-VALUE}.")
    String tracker;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the result as one JSON line.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        WritePattern p = WritePattern.parse(pattern);
        Compression c = Compression.parse(compress);
        if (regionMib * 1024 * 1024 > Runtime.getRuntime().maxMemory() * 0.6) {
            throw new SyncException("region of " + regionMib + " MiB does not fit this JVM's heap ("
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; expected: region <= 60% of -Xmx)");
        }
        if (!tracker.equals("write") && !tracker.equals("hash")) {
            throw new SyncException("unknown tracker: '" + tracker + "' (expected: write or hash)");
        }
        LoopbackBenchmark.Result r = LoopbackBenchmark.run(
            new LoopbackBenchmark.Config(regionMib, dirtyPercent, p, epochs, epochMs, c, seed, tracker.equals("hash")));
        if (json) {
            out.println(r.toJson());
        } else {
            out.println(String.format(Locale.ROOT,
                "%s, %d MiB, %s%% dirty, %d epochs: %d raw dirty bytes -> %d on the wire (%.1fx, %.2f%% of raw); "
                    + "epoch take->ack p50 %.2f ms p99 %.2f ms (p99/p50 %.2f); %.1f epochs/s; pause p50 %.2f ms; "
                    + "CPU %.1f ms/epoch (source + sink)",
                p.name().toLowerCase(Locale.ROOT), regionMib, dirtyPercent, epochs, r.rawDirtyBytes(), r.wireBytes(),
                r.reduction(), r.wireVsRawPercent(), r.epochP50Ms(), r.epochP99Ms(),
                r.epochP50Ms() == 0 ? 0 : r.epochP99Ms() / r.epochP50Ms(), r.epochsPerSec(), r.pauseP50Ms(), r.cpuMsPerEpoch()));
        }
        out.flush();
        return 0;
    }
}
