package io.shadowvm.sync.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.sync.codec.Compression;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bytes on the wire (not time) for the three patterns, as the targets state them. */
class LoopbackBenchmarkTest {
    @ParameterizedTest
    @EnumSource(WritePattern.class)
    void shouldMeetTheWireTargetOfEachPattern(WritePattern pattern) {
        LoopbackBenchmark.Result r = LoopbackBenchmark.run(
            new LoopbackBenchmark.Config(4, 5, pattern, 4, 0, Compression.LZ4, 42));
        System.out.println(r.toJson());
        assertThat(r.rawDirtyBytes()).isPositive();
        if (pattern == WritePattern.RANDOM) {
            assertThat(r.wireBytes()).as("random pages: at most raw + 1%").isLessThanOrEqualTo((long) (r.rawDirtyBytes() * 1.01));
        } else {
            assertThat(r.reduction()).as("%s: at least 5x fewer bytes than raw", pattern).isGreaterThanOrEqualTo(5.0);
        }
    }
}
