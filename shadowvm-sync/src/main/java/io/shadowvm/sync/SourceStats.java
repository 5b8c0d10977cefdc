package io.shadowvm.sync;

/**
 * Totals of a source since it started; {@link #toJson()} is the line {@code shadowvm sync source} prints.
 *
 * @param epochs epochs taken
 * @param lastAckedEpoch the newest epoch every live shadow has applied (0 when none)
 * @param rawDirtyBytes bytes of changed pages (4096 per dirty page)
 * @param wireBytes bytes written to shadows (frames, all shadows)
 * @param pauseP50Ms median time of {@code takeEpoch} (scan + copy)
 * @param pauseP99Ms 99th percentile of the same
 * @param lagP99Ms 99th percentile of take → ack latency over all shadows
 * @param lengthenedEpochs epochs that started late because the previous one was still being sent
 */
public record SourceStats(long epochs, long lastAckedEpoch, long rawDirtyBytes, long wireBytes, double pauseP50Ms,
                          double pauseP99Ms, double lagP99Ms, long lengthenedEpochs) {
    public String toJson() {
        return String.format(java.util.Locale.ROOT,
            "{\"epochs\":%d,\"lastAckedEpoch\":%d,\"rawDirtyBytes\":%d,\"wireBytes\":%d,"
                + "\"pauseP50Ms\":%.3f,\"pauseP99Ms\":%.3f,\"lagP99Ms\":%.3f}",
            epochs, lastAckedEpoch, rawDirtyBytes, wireBytes, pauseP50Ms, pauseP99Ms, lagP99Ms);
    }
}
