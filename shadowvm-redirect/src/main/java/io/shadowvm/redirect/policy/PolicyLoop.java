package io.shadowvm.redirect.policy;

import io.shadowvm.core.time.NanoClock;
import java.util.List;

/**
 * The policy with its state, for one VM: each {@link #tick} reads the injected clock and returns the weights to
 * apply. Single-threaded: owned by the control loop that calls it.
 */
public final class PolicyLoop {
    private final RedirectionPolicy policy;
    private final NanoClock clock;
    private PolicyState state;
    private PolicyDecision last;

    public PolicyLoop(PolicyConfig config, NanoClock clock, List<String> shadowNames) {
        this.policy = new RedirectionPolicy(config);
        this.clock = clock;
        this.state = PolicyState.initial(shadowNames);
    }

    public Weights tick(PolicyInput input) {
        last = policy.decide(input, state, clock.nanoTime());
        state = last.next();
        return last.weights();
    }

    public PolicyState state() {
        return state;
    }

    /** The last tick's full decision (target and health factors included), or null before the first tick. */
    public PolicyDecision lastDecision() {
        return last;
    }
}
