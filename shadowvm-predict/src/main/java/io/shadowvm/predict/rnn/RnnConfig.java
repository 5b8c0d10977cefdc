package io.shadowvm.predict.rnn;

/**
 * Network size and training budget. Training is bounded by epochs (deterministic); the time budget is only
 * a safety net, and a run that hits it is no longer reproducible (the manifest records the epochs run).
 * The defaults train on the ISP series in about half a minute on two idle cores; {@link #tiny} is for tests.
 *
 * @param window           past steps fed to the network
 * @param hidden           recurrent state size
 * @param maxEpochs        epochs at most; training stops earlier when validation MSE stops improving
 * @param patience         epochs without validation improvement before stopping
 * @param batchSize        mini-batch size
 * @param samplesPerEpoch  windows drawn (without replacement, seeded) per epoch
 * @param learningRate     Adam learning rate
 * @param seed             seeds weight initialization and sampling
 * @param timeBudgetSec    stop after the epoch that crosses this wall-clock budget
 * @param exogenous        add the mean of the dataset's other series as an input channel
 * @param crossing         the probability head learns P(the series is above its threshold at some step of
 *                         (t, t+h]) (crossing within the horizon, what the controller asks) instead of
 *                         P(z[t+h] above it)
 */
public record RnnConfig(RecurrentKind kind, int window, int hidden, int maxEpochs, int patience, int batchSize,
                        int samplesPerEpoch, double learningRate, long seed, double timeBudgetSec, boolean exogenous,
                        boolean crossing) {
    public RnnConfig {
        check("window", window, 2, 512);
        check("hidden", hidden, 1, 1024);
        check("maxEpochs", maxEpochs, 1, 10_000);
        check("patience", patience, 1, 10_000);
        check("batchSize", batchSize, 1, 65_536);
        check("samplesPerEpoch", samplesPerEpoch, 1, 10_000_000);
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("learningRate: " + learningRate + " (expected: 0 < lr < 1)");
        }
    }

    private static void check(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: " + lo + "-" + hi + ")");
        }
    }

    public static RnnConfig defaults(RecurrentKind kind) {
        return new RnnConfig(kind, 24, 32, 20, 4, 128, 8192, 3e-3, 42, 600, false, false);
    }

    public static RnnConfig tiny(RecurrentKind kind) {
        return new RnnConfig(kind, 8, 8, 8, 3, 32, 512, 1e-2, 7, 30, false, false);
    }

    public RnnConfig withExogenous(boolean on) {
        return new RnnConfig(kind, window, hidden, maxEpochs, patience, batchSize, samplesPerEpoch, learningRate, seed,
            timeBudgetSec, on, crossing);
    }

    public RnnConfig withWindow(int steps) {
        return new RnnConfig(kind, steps, hidden, maxEpochs, patience, batchSize, samplesPerEpoch, learningRate, seed,
            timeBudgetSec, exogenous, crossing);
    }

    public RnnConfig withCrossing(boolean on) {
        return new RnnConfig(kind, window, hidden, maxEpochs, patience, batchSize, samplesPerEpoch, learningRate, seed,
            timeBudgetSec, exogenous, on);
    }

    public RnnConfig withTimeBudget(double seconds) {
        return new RnnConfig(kind, window, hidden, maxEpochs, patience, batchSize, samplesPerEpoch, learningRate, seed,
            seconds, exogenous, crossing);
    }
}
