package io.shadowvm.hypervisor.drill;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code shadowvm vm drill --json} prints, in this key order. Pauses are over the steady-state epochs (the
 * bootstrap epoch 0 copies every non-zero page and is reported apart); {@code wireBytesPerEpoch} is the mean epoch
 * frame size of those epochs; {@code devStateBytes} the mean device-state blob.
 */
public record DrillReport(String driver, int epochs, long lastAckedEpoch, double pauseP50Ms, double pauseP99Ms,
                          long devStateBytes, long wireBytesPerEpoch, long promoteMs, long counterAtAck,
                          long counterAfterPromote, boolean resumedWithoutReboot) {

    /** The fields in the documented order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("driver", driver);
        m.put("epochs", epochs);
        m.put("lastAckedEpoch", lastAckedEpoch);
        m.put("pauseP50Ms", round(pauseP50Ms));
        m.put("pauseP99Ms", round(pauseP99Ms));
        m.put("devStateBytes", devStateBytes);
        m.put("wireBytesPerEpoch", wireBytesPerEpoch);
        m.put("promoteMs", promoteMs);
        m.put("counterAtAck", counterAtAck);
        m.put("counterAfterPromote", counterAfterPromote);
        m.put("resumedWithoutReboot", resumedWithoutReboot);
        return m;
    }

    private static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2f", v));
    }

    /** Percentile (nearest rank) of {@code values} in microseconds, returned in milliseconds. */
    public static double percentileMs(long[] valuesUs, int n, double p) {
        if (n == 0) {
            return 0;
        }
        long[] s = java.util.Arrays.copyOf(valuesUs, n);
        java.util.Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * n);
        return s[Math.max(0, Math.min(n - 1, rank - 1))] / 1000.0;
    }
}
