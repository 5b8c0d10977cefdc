package io.shadowvm.cli.testbed;

import java.util.List;

/** Whether this machine can run the namespace testbed; the reason when not (printed by the skipping test). */
final class TestbedPrerequisites {
    private TestbedPrerequisites() {
    }

    /** null when everything is there; otherwise what is missing. */
    static String missing() {
        String why = TestbedCluster.missing(List.of("ip", "tc", "iperf3", "busybox", "curl"));
        return why == null ? null : "the testbed needs " + why;
    }
}
