package io.shadowvm.cli.predict;

import io.shadowvm.predict.data.Dataset;
import io.shadowvm.predict.data.Datasets;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options shared by the predict subcommands: which data, horizons, threshold. */
final class DataOptions {
    @Option(names = "--data", required = true, paramLabel = "FILE_OR_DATASET",
        description = "A CSV file (timestamp,value[,value...] with a header; .gz ok) or a shipped dataset: "
            + "isp-uk-5m, geant-flows, geant-links, dc-pods, bitbrains; a comma list is their union (each series keeps its own"
            + " normalization and threshold).")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Where the shipped datasets are (default: $SHADOWVM_DATA_DIR, ./data, or the repository's data/).")
    Path dataDir;

    @Option(names = "--horizon", paramLabel = "H[,H...]", split = ",", defaultValue = "1,3,6,12",
        description = "Steps ahead to forecast (default ${DEFAULT-VALUE}).")
    int[] horizons;

    @Option(names = "--threshold-percentile", paramLabel = "P", defaultValue = "90",
        description = "Congestion threshold: the P-th percentile of each series' normalized training part "
            + "(default ${DEFAULT-VALUE}).")
    double thresholdPercentile;

    Dataset load() {
        return Datasets.load(data, dataDir);
    }

    int[] horizons(CommandLine cmd) {
        int[] h = horizons.clone();
        Arrays.sort(h);
        for (int i = 0; i < h.length; i++) {
            if (h[i] < 1 || h[i] > 288) {
                throw new CommandLine.ParameterException(cmd, "--horizon: " + h[i] + " (expected: 1..288)");
            }
            if (i > 0 && h[i] == h[i - 1]) {
                throw new CommandLine.ParameterException(cmd, "--horizon: " + h[i] + " given twice");
            }
        }
        if (!(thresholdPercentile > 0 && thresholdPercentile < 100)) {
            throw new CommandLine.ParameterException(cmd, "--threshold-percentile: " + thresholdPercentile
                + " (expected: 0 < P < 100)");
        }
        return h;
    }
}
