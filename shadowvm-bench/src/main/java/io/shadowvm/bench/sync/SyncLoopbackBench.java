package io.shadowvm.bench.sync;

import io.shadowvm.sync.codec.Compression;
import io.shadowvm.sync.load.LoopbackBenchmark;
import io.shadowvm.sync.load.WritePattern;
import java.util.Locale;

/**
 * Whole-process replication runs over loopback (one source and one sink in this JVM, real TCP): bytes on the
 * wire against raw dirty bytes for each write pattern (the baseline is raw: ratio = raw / wire), then the
 * sized run (default 1 GiB, 5% dirty per 100 ms epoch) with epoch latency percentiles, rate and CPU.
 *
 * <pre>java -Xmx6g -cp 'shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*' \
 *     io.shadowvm.bench.sync.SyncLoopbackBench [--region-mib 1024] [--epochs 50] [--pattern-mib 64]</pre>
 */
public final class SyncLoopbackBench {
    private SyncLoopbackBench() {
    }

    public static void main(String[] args) {
        long regionMib = 1024;
        long patternMib = 64;
        int epochs = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--region-mib" -> regionMib = Long.parseLong(args[++i]);
                case "--pattern-mib" -> patternMib = Long.parseLong(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option: " + args[i]
                    + " (expected: --region-mib, --pattern-mib, --epochs)");
            }
        }
        System.out.println("wire bytes vs raw dirty bytes, " + patternMib + " MiB region, 5% dirty per epoch, 20 epochs, LZ4:");
        for (WritePattern p : WritePattern.values()) {
            LoopbackBenchmark.Result r = LoopbackBenchmark.run(new LoopbackBenchmark.Config(patternMib, 5, p, 20, 0, Compression.LZ4, 42));
            System.out.println(String.format(Locale.ROOT, "  %-10s raw %12d B  wire %12d B  reduction %7.1fx  (wire = %.2f%% of raw)",
                p.name().toLowerCase(Locale.ROOT), r.rawDirtyBytes(), r.wireBytes(), r.reduction(), r.wireVsRawPercent()));
        }
        System.out.println();
        for (WritePattern p : new WritePattern[] {WritePattern.STRUCTURED, WritePattern.RANDOM}) {
            LoopbackBenchmark.Result r = LoopbackBenchmark.run(
                new LoopbackBenchmark.Config(regionMib, 5, p, epochs, 100, Compression.LZ4, 42));
            System.out.println(String.format(Locale.ROOT, "%d MiB region, 5%% %s dirty per 100 ms epoch, %d epochs:",
                regionMib, p.name().toLowerCase(Locale.ROOT), epochs));
            System.out.println("  " + r.toJson());
        }
    }
}
