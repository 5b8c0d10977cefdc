package io.shadowvm.hypervisor.drill;

import io.shadowvm.hypervisor.checkpoint.EpochResult;
import java.util.List;
import java.util.Map;

/**
 * Everything a drill observed, for tests and the benchmark; {@link #report()} is the CLI's JSON.
 *
 * @param report the summary
 * @param epochResults every checkpoint taken (acked or refused), in order
 * @param refusals reasons the shadow gave for refused epochs
 * @param expectedKv the guest's key-value page at the last acked epoch (what the client had written by then)
 * @param promotedKv the key-value page the promoted guest serves
 * @param promotedState the promoted guest's {@code /cgi-bin/state}
 * @param primaryBootId the primary's boot id
 * @param netns the namespace the shadow was promoted in, or null
 * @param bootstrapPauseMs the pause of epoch 0 (all pages)
 * @param servingClones per serving clone: the epoch it started from, what it should serve and what it served
 */
public record DrillOutcome(DrillReport report, List<EpochResult> epochResults, List<String> refusals,
                           Map<String, String> expectedKv, Map<String, String> promotedKv, Map<String, String> promotedState,
                           String primaryBootId, String netns, double bootstrapPauseMs, List<CloneCheck> servingClones) {

    /** One serving clone: started from {@code epoch}, expected the client's writes up to it, served {@code served}. */
    public record CloneCheck(long epoch, int port, Map<String, String> expected, Map<String, String> served, long startMs) {
    }
}
