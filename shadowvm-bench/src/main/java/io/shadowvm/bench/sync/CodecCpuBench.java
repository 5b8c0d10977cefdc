package io.shadowvm.bench.sync;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@link CodecBenchmark} operations timed by the benchmark thread's own CPU time instead of wall time:
 * GB/s <em>per CPU-second of one core</em>, which is what the targets state and which stays meaningful on a
 * machine shared with other work (JMH's wall-clock scores there mostly measure the scheduler). Median of
 * {@code --rounds} rounds after as many warm-up rounds; every figure printed next to the plain copy's.
 *
 * <pre>java -cp 'shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*' \
 *     io.shadowvm.bench.sync.CodecCpuBench [--changed 5,1,25] [--rounds 15]</pre>
 */
public final class CodecCpuBench {
    private CodecCpuBench() {
    }

    public static void main(String[] args) {
        String changed = "5,1,25";
        int rounds = 15;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--changed")) {
                changed = args[++i];
            } else if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        double bytes = (double) CodecBenchmark.PAGES * CodecBenchmark.P;
        for (String pct : changed.split(",")) {
            CodecBenchmark b = new CodecBenchmark();
            b.changedPercent = Double.parseDouble(pct);
            b.setup();
            Map<String, LongSupplier> ops = new LinkedHashMap<>();
            ops.put("memcpy", () -> {
                b.memcpy(bh);
                return 0;
            });
            ops.put("deltaEncode", () -> b.deltaEncode());
            ops.put("lz4Only", () -> b.lz4Only());
            ops.put("batchEncodeLz4", () -> b.batchEncodeLz4());
            ops.put("xxh64", () -> b.xxh64());
            ops.put("deltaDecode", () -> {
                b.deltaDecode(bh);
                return 0;
            });
            Map<String, Double> gbps = new LinkedHashMap<>();
            for (Map.Entry<String, LongSupplier> op : ops.entrySet()) {
                long[] cpu = new long[rounds];
                for (int r = 0; r < rounds * 2; r++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    bh.consume(op.getValue().getAsLong());
                    long t = mx.getCurrentThreadCpuTime() - t0;
                    if (r >= rounds) {
                        cpu[r - rounds] = t;
                    }
                }
                Arrays.sort(cpu);
                gbps.put(op.getKey(), bytes / cpu[rounds / 2]);
            }
            double copy = gbps.get("memcpy");
            System.out.printf(Locale.ROOT, "%n%s%% of bytes changed, %d pages of 4 KiB, GB/s per CPU-second (median of %d):%n",
                pct, CodecBenchmark.PAGES, rounds);
            for (Map.Entry<String, Double> e : gbps.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-16s %7.2f GB/s   %5.2fx memcpy%n", e.getKey(), e.getValue(), e.getValue() / copy);
            }
        }
    }
}
