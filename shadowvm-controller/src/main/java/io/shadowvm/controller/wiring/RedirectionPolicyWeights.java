package io.shadowvm.controller.wiring;

import io.shadowvm.controller.loop.WeightPolicy;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.redirect.policy.PolicyConfig;
import io.shadowvm.redirect.policy.PolicyInput;
import io.shadowvm.redirect.policy.PolicyLoop;
import io.shadowvm.redirect.policy.ShadowStatus;
import io.shadowvm.redirect.policy.Weights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop's weights from shadowvm-redirect's policy: one {@link PolicyLoop} per VM (engagement with
 * hysteresis, the seed's share rule, the health cost of each shadow's path score, lag, RTT and loss, dwell
 * and maximum step per tick). A VM whose set of shadows changes gets a fresh loop (its state is per shadow
 * list). Shadows are named by host; every shadow has capacity 1 (no offered-load model yet).
 */
public final class RedirectionPolicyWeights implements WeightPolicy {
    private final PolicyConfig config;
    private final Map<String, Entry> loops = new HashMap<>();

    private record Entry(PolicyLoop loop, List<String> shadows, long[] nowNs) {
    }

    public RedirectionPolicyWeights(PolicyConfig config) {
        this.config = config;
    }

    /** The redirect module's defaults with a shorter dwell, so a 1 s tick reacts within seconds. */
    public static RedirectionPolicyWeights withDwellMs(long dwellMs) {
        PolicyConfig d = PolicyConfig.defaults();
        return new RedirectionPolicyWeights(d.withStability(d.maxStepPerTick(), dwellMs * 1_000_000L));
    }

    @Override
    public Map<String, Double> weigh(String vm, String primaryHost, double primaryScore, List<ShadowInput> shadows,
                                     long nowNs) {
        List<String> names = new ArrayList<>(shadows.size());
        for (ShadowInput s : shadows) {
            names.add(s.host());
        }
        Entry e = loops.get(vm);
        if (e == null || !e.shadows().equals(names)) {
            long[] clock = new long[1];
            NanoClock c = () -> clock[0];
            e = new Entry(new PolicyLoop(config, c, names), names, clock);
            loops.put(vm, e);
        }
        e.nowNs()[0] = nowNs;
        List<ShadowStatus> in = new ArrayList<>(shadows.size());
        for (ShadowInput s : shadows) {
            in.add(new ShadowStatus(s.host(), s.serving(), s.alive(), 1.0, clamp(s.pathScore()),
                Math.max(0, s.lagMs()), Math.max(1, s.stalenessBoundMs()), Math.max(0, s.rttMs()), clamp(s.lossRate())));
        }
        Weights w = e.loop().tick(new PolicyInput(clamp(primaryScore), 0.0, in));
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(primaryHost, w.primary());
        for (String n : names) {
            out.put(n, w.shadow(n));
        }
        return out;
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }

    @Override
    public void forget(String vm) {
        loops.remove(vm);
    }

    @Override
    public String describe() {
        return "shadowvm-redirect PolicyLoop (engage " + config.engageThreshold() + ", release "
            + config.releaseThreshold() + ", step " + config.maxStepPerTick() + "/tick, dwell "
            + config.minDwellNs() / 1_000_000 + " ms)";
    }
}
