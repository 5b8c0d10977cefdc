package io.shadowvm.predict.eval;

import io.shadowvm.predict.PredictException;

/**
 * The chronological split: {@code nTrain = floor(0.70 n)}, {@code nVal = floor(0.15 n)}, the rest is test.
 */
public record Split(int n, int nTrain, int nVal) {
    /** Below this a series is too short to split meaningfully. */
    public static final int MIN_LENGTH = 20;

    public static Split of(int n) {
        if (n < MIN_LENGTH) {
            throw new PredictException("series of " + n + " points (expected: at least " + MIN_LENGTH + ")");
        }
        return new Split(n, (int) Math.floor(0.70 * n), (int) Math.floor(0.15 * n));
    }

    public int testStart() {
        return nTrain + nVal;
    }

    public int nTest() {
        return n - testStart();
    }
}
