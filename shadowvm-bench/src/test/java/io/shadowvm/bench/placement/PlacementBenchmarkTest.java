package io.shadowvm.bench.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A smoke run at toy size: the benchmark runs end to end and its own hard-constraint checks pass. */
class PlacementBenchmarkTest {
    @Test
    void shouldRunBothPartsAtToySizeWithoutAHardConstraintViolation() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new PlacementBenchmark(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(new String[] {
            "--vms", "2000", "--pods", "2", "--racks-per-pod", "5", "--hosts-per-rack", "10", "--baseline-vms", "200",
            "--rebalance-vms", "300", "--rebalance-seconds", "0.3"});
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("100% of placements satisfy every hard constraint")
            .contains("ratio (full scan / indexed)")
            .contains("ratio (hill climbing / late acceptance)")
            .contains("applied      : ")
            .doesNotContain("INFEASIBLE");
        assertThat(out.lines().filter(l -> l.contains("roles checked"))).allMatch(l -> l.contains(" 0 violations"));
    }
}
