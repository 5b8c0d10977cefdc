package io.shadowvm.sync;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Randomized test cases that are the same on every run: a fixed master seed draws, per case, a long seed
 * and integers from inclusive ranges. A failing case prints its arguments, and the same arguments
 * reproduce it, so property-style tests stay deterministic without a property-testing engine.
 */
public final class SeededCases {
    private SeededCases() {
    }

    /** {@code count} cases of (long seed, int in ranges[0], int in ranges[1], ...); ranges are {min, max} pairs. */
    public static Stream<Arguments> of(long masterSeed, int count, int[]... ranges) {
        SplittableRandom master = new SplittableRandom(masterSeed);
        return IntStream.range(0, count).mapToObj(i -> {
            Object[] args = new Object[1 + ranges.length];
            args[0] = master.nextLong();
            for (int r = 0; r < ranges.length; r++) {
                args[1 + r] = master.nextInt(ranges[r][0], ranges[r][1] + 1);
            }
            return Arguments.of(args);
        });
    }
}
