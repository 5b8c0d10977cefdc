package io.shadowvm.controller.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.agent.uplink.TokenBucket;
import io.shadowvm.controller.loop.WeightPolicy.ShadowInput;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyGenerator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's congestion phase without sockets or wall time: the rack uplink's token bucket admits a bulk load
 * that ramps past its capacity (4 KiB chunks, 250 ms telemetry windows, the demo's profile), the admitted bytes
 * per window are the link's utilization, and the controller's default scorer and redirect policy turn them into
 * weights. The scorer is the controller's default: the shipped step-free model of shadowvm-predict.
 */
class UplinkCongestionTest {
    private static final long CAPACITY = 500_000; // bytes/s: the demo's 4 Mbit/s
    private static final long WINDOW_NS = 250_000_000L;

    @Test
    void uplink_utilization_moves_weights_to_the_shadow_before_the_uplink_saturates_and_back_after() {
        TokenBucket bucket = new TokenBucket(CAPACITY, 20_000_000L);
        Topology topology = TopologyGenerator.generate(new TopologyGenerator.Spec(1, 2, 2, 1, false, 40, "dc1"));
        String uplink = topology.uplink(0).name();
        PredictorScorer scorer = PredictorScorer.shipped(topology);
        assertThat(scorer.hasNetwork()).as(scorer.describe()).isTrue();
        RedirectionPolicyWeights policy = RedirectionPolicyWeights.withDwellMs(5_000);
        long now = 0;
        long busyUntil = 0;
        double firstShiftUtil = Double.NaN;
        double firstShiftAt = Double.NaN;
        double saturatedAt = Double.NaN;
        double lastShare = 0;
        double maxShare = 0;
        for (int w = 0; w < 200; w++) {
            double s = w * 0.25;
            long offeredBytes = (long) (offered(s) * CAPACITY * 0.25);
            long windowEnd = now + WINDOW_NS;
            long sent = 0;
            // the sender queues its chunks; each goes out when the bucket allows, within this window or later
            for (long b = 0; b + 4_096 <= offeredBytes; b += 4_096) {
                long at = Math.max(now, busyUntil);
                long wait = bucket.reserve(4_096, at);
                busyUntil = at + wait;
                if (busyUntil <= windowEnd) {
                    sent += 4_096;
                }
            }
            busyUntil = Math.min(busyUntil, windowEnd); // a backlog beyond the window is dropped by the sender
            double util = Math.min(1.0, sent / (CAPACITY * 0.25));
            now = windowEnd;
            long nowMs = now / 1_000_000;
            scorer.observe(uplink, nowMs, util);
            double score = scorer.score(uplink, nowMs);
            Map<String, Double> weights = policy.weigh("web", "h1", score,
                List.of(new ShadowInput("h3", true, true, 0.0, 20, 1_000, 0.1, 0)), now);
            lastShare = weights.get("h3") / (weights.get("h1") + weights.get("h3"));
            maxShare = Math.max(maxShare, lastShare);
            if (lastShare > 0 && Double.isNaN(firstShiftAt)) {
                firstShiftAt = s;
                firstShiftUtil = util;
            }
            if (util >= 0.97 && Double.isNaN(saturatedAt)) {
                saturatedAt = s;
            }
        }
        assertThat(firstShiftAt).as("weights moved").isNotNaN();
        assertThat(saturatedAt).as("the uplink saturated").isNotNaN();
        assertThat(firstShiftAt).as("weights move before saturation").isLessThan(saturatedAt);
        assertThat(firstShiftUtil).as("utilization when weights first moved").isLessThan(0.8);
        assertThat(maxShare).as("most new connections went to the shadow").isGreaterThan(0.9);
        assertThat(lastShare).as("weights returned after the load fell").isZero();
    }

    /** The demo's profile: up to 20% by 4 s, ramp from 7 s to 120% at 19 s, hold to 25 s, then 10%. */
    private static double offered(double s) {
        if (s < 4) {
            return 0.05 * s;
        }
        if (s < 7) {
            return 0.2;
        }
        if (s < 19) {
            return 0.2 + (s - 7) / 12.0;
        }
        return s < 25 ? 1.2 : 0.1;
    }
}
