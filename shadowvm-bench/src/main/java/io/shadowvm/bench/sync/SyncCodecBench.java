package io.shadowvm.bench.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link CodecBenchmark} with JMH and prints GB/s of page bytes per method, with each method's ratio to
 * the plain copy measured in the same run.
 *
 * <pre>java -cp 'shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*' \
 *     io.shadowvm.bench.sync.SyncCodecBench [--quick] [--changed 5,1,25]</pre>
 */
public final class SyncCodecBench {
    private SyncCodecBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        String changed = "5";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--changed")) {
                changed = args[++i];
            }
        }
        ChainedOptionsBuilder o = new OptionsBuilder().include(CodecBenchmark.class.getName())
            .param("changedPercent", changed.split(","));
        if (quick) {
            o.warmupIterations(1).warmupTime(TimeValue.milliseconds(500))
                .measurementIterations(2).measurementTime(TimeValue.milliseconds(500));
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        double bytesPerOp = (double) CodecBenchmark.PAGES * CodecBenchmark.P;
        List<String> lines = new ArrayList<>();
        for (String pct : changed.split(",")) {
            double copy = 0;
            for (RunResult r : results) {
                if (r.getParams().getParam("changedPercent").equals(pct) && r.getParams().getBenchmark().endsWith(".memcpy")) {
                    copy = r.getPrimaryResult().getScore() * bytesPerOp / 1e9;
                }
            }
            lines.add(String.format(Locale.ROOT, "%n%s%% of bytes changed (%d pages of 4 KiB per op):", pct, CodecBenchmark.PAGES));
            for (RunResult r : results) {
                if (!r.getParams().getParam("changedPercent").equals(pct)) {
                    continue;
                }
                String name = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
                double gbps = r.getPrimaryResult().getScore() * bytesPerOp / 1e9;
                lines.add(String.format(Locale.ROOT, "  %-16s %7.2f GB/s   %5.2fx memcpy", name, gbps, copy == 0 ? 0 : gbps / copy));
            }
        }
        lines.forEach(System.out::println);
    }
}
