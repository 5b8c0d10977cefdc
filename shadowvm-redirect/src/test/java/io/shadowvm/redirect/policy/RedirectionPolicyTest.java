package io.shadowvm.redirect.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.shadowvm.core.time.ManualClock;
import io.shadowvm.core.vm.ShadowPolicy;
import io.shadowvm.redirect.RedirectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RedirectionPolicyTest {
    static final long SECOND = 1_000_000_000L;
    /** No rate limit and no dwell: the pure seed rule plus health, applied in one tick. */
    static final PolicyConfig UNSMOOTHED = PolicyConfig.defaults().withStability(1.0, 0);

    static Weights once(PolicyConfig config, PolicyInput in) {
        RedirectionPolicy p = new RedirectionPolicy(config);
        List<String> names = in.shadows().stream().map(ShadowStatus::name).toList();
        return p.decide(in, PolicyState.initial(names), 0).weights();
    }

    @Test
    void seedExampleScore08AboveThreshold07WithScaling50PercentRedirects40PercentToTheShadow() {
        PolicyConfig seed = UNSMOOTHED.withThresholds(0.7, 0.7).withScalingFactor(0.5);
        Weights w = once(seed, PolicyInput.of(0.8, ShadowStatus.healthy("s1", 10)));
        assertThat(w.shadow("s1")).isCloseTo(0.40, within(1e-12));
        assertThat(w.primary()).isCloseTo(0.60, within(1e-12));
    }

    @Test
    void scoreAtOrBelowThresholdKeepsEverythingOnThePrimary() {
        PolicyConfig seed = UNSMOOTHED.withThresholds(0.7, 0.7).withScalingFactor(0.5);
        assertThat(once(seed, PolicyInput.of(0.7, ShadowStatus.healthy("s1", 10))).primary()).isEqualTo(1.0);
        assertThat(once(seed, PolicyInput.of(0.2, ShadowStatus.healthy("s1", 10))).primary()).isEqualTo(1.0);
    }

    @Test
    void redirectShareIsCappedAtEverything() {
        PolicyConfig seed = UNSMOOTHED.withScalingFactor(2.0);
        Weights w = once(seed, PolicyInput.of(0.9, ShadowStatus.healthy("s1", 1)));
        assertThat(w.shadow("s1")).isCloseTo(1.0, within(1e-12));
        assertThat(w.primary()).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void shareIsSplitAcrossServingShadowsInProportionToCapacity() {
        Weights w = once(UNSMOOTHED, PolicyInput.of(0.8,
            ShadowStatus.healthy("a", 30), ShadowStatus.healthy("b", 10)));
        assertThat(w.shadow("a")).isCloseTo(0.6, within(1e-12));
        assertThat(w.shadow("b")).isCloseTo(0.2, within(1e-12));
        assertThat(w.primary()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void standbyShadowsGetNothingAndServingOnesShareItAll() {
        ShadowStatus standby = new ShadowStatus("standby", false, true, 100, 0, 0, 1000, 0, 0);
        Weights w = once(UNSMOOTHED, PolicyInput.of(0.8, standby, ShadowStatus.healthy("b", 10)));
        assertThat(w.shadow("standby")).isZero();
        assertThat(w.shadow("b")).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void aShadowPastItsStalenessBoundGetsNothingAndItsShareGoesToTheOthers() {
        ShadowStatus stale = ShadowStatus.healthy("a", 30).withLagMs(1000); // bound is 1000 ms
        Weights w = once(UNSMOOTHED, PolicyInput.of(0.8, stale, ShadowStatus.healthy("b", 10)));
        assertThat(w.shadow("a")).isZero();
        assertThat(w.shadow("b")).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void healthCostsLowerAShadowsShareAndReturnTheDiscountToThePrimary() {
        RedirectionPolicy p = new RedirectionPolicy(UNSMOOTHED);
        // half-way to the staleness bound, path score at half the cutoff: 0.5 × 0.5
        ShadowStatus tired = ShadowStatus.healthy("a", 10).withLagMs(500).withPathScore(0.4);
        assertThat(p.healthFactor(tired)).isCloseTo(0.25, within(1e-12));
        Weights w = once(UNSMOOTHED, PolicyInput.of(0.8, tired));
        assertThat(w.shadow("a")).isCloseTo(0.2, within(1e-12));
        assertThat(w.primary()).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void shadowsWithHighRttLossOrCongestedPathsAreExcluded() {
        RedirectionPolicy p = new RedirectionPolicy(UNSMOOTHED);
        assertThat(p.healthFactor(ShadowStatus.healthy("a", 1).withNetwork(50, 0))).isZero();
        assertThat(p.healthFactor(ShadowStatus.healthy("a", 1).withNetwork(1, 0.05))).isZero();
        assertThat(p.healthFactor(ShadowStatus.healthy("a", 1).withPathScore(0.8))).isZero();
        assertThat(p.healthFactor(ShadowStatus.healthy("a", 1).withAlive(false))).isZero();
        assertThat(p.healthFactor(ShadowStatus.healthy("a", 1).withNetwork(25, 0.025))).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void noShadowGetsMoreThanItsRemainingCapacityCanCarry() {
        // offered load 100, shadow capacity 20: at most 20% even though the rule asks for 80%
        PolicyInput in = new PolicyInput(0.8, 100, List.of(ShadowStatus.healthy("a", 20)));
        Weights w = once(UNSMOOTHED, in);
        assertThat(w.shadow("a")).isCloseTo(0.2, within(1e-12));
        assertThat(w.primary()).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void withNoHealthyShadowThePrimaryKeepsEverything() {
        ShadowStatus dead = ShadowStatus.healthy("a", 10).withAlive(false);
        ShadowStatus stale = ShadowStatus.healthy("b", 10).withLagMs(5000);
        Weights w = once(UNSMOOTHED, PolicyInput.of(1.0, dead, stale));
        assertThat(w.primary()).isEqualTo(1.0);
        assertThat(w.shadowTotal()).isZero();
    }

    @Test
    void weightsMoveAtMostMaxStepPerTickTowardsTheTarget() {
        ManualClock clock = new ManualClock();
        PolicyLoop loop = new PolicyLoop(PolicyConfig.defaults(), clock, List.of("a"));
        List<Double> seen = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            seen.add(loop.tick(PolicyInput.of(0.9, ShadowStatus.healthy("a", 1))).shadow("a"));
            clock.advance(1, java.util.concurrent.TimeUnit.SECONDS);
        }
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i) - seen.get(i - 1)).isBetween(-1e-12, 0.1 + 1e-12);
        }
        assertThat(seen.get(0)).isCloseTo(0.1, within(1e-12));
        assertThat(seen.get(seen.size() - 1)).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void aShadowCrossingItsStalenessBoundLosesItsWeightInTheSameTick() {
        ManualClock clock = new ManualClock();
        PolicyLoop loop = new PolicyLoop(PolicyConfig.defaults(), clock, List.of("a", "b"));
        ShadowStatus a = ShadowStatus.healthy("a", 10);
        ShadowStatus b = ShadowStatus.healthy("b", 10);
        Weights w = null;
        for (int i = 0; i < 20; i++) {
            w = loop.tick(PolicyInput.of(0.8, a.withLagMs(100), b));
            clock.advanceMillis(1000);
        }
        assertThat(w.shadow("a")).isGreaterThan(0.3);
        Weights after = loop.tick(PolicyInput.of(0.8, a.withLagMs(1001), b));
        assertThat(after.shadow("a")).isZero();
        assertThat(after.shadow("b")).isGreaterThanOrEqualTo(w.shadow("b"));
        assertThat(after.primary() + after.shadow("b")).isCloseTo(1.0, within(1e-9));
        // b then takes over the whole 80% share, step by step
        for (int i = 0; i < 10; i++) {
            clock.advanceMillis(1000);
            after = loop.tick(PolicyInput.of(0.8, a.withLagMs(1001), b));
        }
        assertThat(after.shadow("b")).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void flappingScoresAroundTheThresholdDoNotFlapTheWeights() {
        ManualClock clock = new ManualClock();
        PolicyLoop loop = new PolicyLoop(PolicyConfig.defaults(), clock, List.of("a"));
        ShadowStatus a = ShadowStatus.healthy("a", 10);
        List<Double> seen = new ArrayList<>();
        double[] scores = {0.9, 0.3, 0.75, 0.45, 0.95, 0.2};
        for (int i = 0; i < 25; i++) { // 25 s < the 30 s dwell
            seen.add(loop.tick(PolicyInput.of(scores[i % scores.length], a)).shadow("a"));
            clock.advanceMillis(1000);
        }
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("tick %d never moves down while scores flap", i)
                .isGreaterThanOrEqualTo(seen.get(i - 1) - 1e-12);
        }
        assertThat(loop.state().engagement()).isEqualTo(EngagementState.ENGAGED);
    }

    @Test
    void hysteresisKeepsRedirectingBetweenTheReleaseAndEngageThresholds() {
        ManualClock clock = new ManualClock();
        PolicyConfig cfg = PolicyConfig.defaults().withStability(1.0, 0);
        PolicyLoop loop = new PolicyLoop(cfg, clock, List.of("a"));
        ShadowStatus a = ShadowStatus.healthy("a", 10);
        assertThat(loop.tick(PolicyInput.of(0.65, a)).shadow("a")).isZero(); // below engage: not yet
        assertThat(loop.tick(PolicyInput.of(0.8, a)).shadow("a")).isCloseTo(0.8, within(1e-12));
        assertThat(loop.tick(PolicyInput.of(0.6, a)).shadow("a")).isCloseTo(0.6, within(1e-12)); // still engaged
        assertThat(loop.tick(PolicyInput.of(0.5, a)).shadow("a")).isZero(); // released at 0.5
        assertThat(loop.state().engagement()).isEqualTo(EngagementState.IDLE);
    }

    @Test
    void lowerTargetsApplyOnlyAfterTheMinimumDwellTime() {
        ManualClock clock = new ManualClock();
        PolicyConfig cfg = PolicyConfig.defaults().withStability(1.0, 10 * SECOND);
        PolicyLoop loop = new PolicyLoop(cfg, clock, List.of("a"));
        ShadowStatus a = ShadowStatus.healthy("a", 10);
        assertThat(loop.tick(PolicyInput.of(0.9, a)).shadow("a")).isCloseTo(0.9, within(1e-12));
        for (int i = 0; i < 10; i++) { // the lower target is first seen at 1 s, so it has persisted 10 s at 11 s
            clock.advanceMillis(1000);
            assertThat(loop.tick(PolicyInput.of(0.1, a)).shadow("a")).isCloseTo(0.9, within(1e-12));
        }
        clock.advanceMillis(1000);
        assertThat(loop.tick(PolicyInput.of(0.1, a)).primary()).isEqualTo(1.0);
        assertThat(loop.state().engagement()).isEqualTo(EngagementState.IDLE);
    }

    @Test
    void weightsAlwaysSumToOneAndAreNeverNegativeUnderRandomInputs() {
        Random rnd = new Random(42);
        ManualClock clock = new ManualClock();
        List<String> names = List.of("a", "b", "c");
        PolicyLoop loop = new PolicyLoop(PolicyConfig.defaults().withStability(0.2, 3 * SECOND), clock, names);
        for (int i = 0; i < 5000; i++) {
            List<ShadowStatus> shadows = new ArrayList<>();
            for (String n : names) {
                shadows.add(new ShadowStatus(n, rnd.nextInt(10) > 0, rnd.nextInt(20) > 0, rnd.nextDouble() * 10,
                    rnd.nextDouble(), rnd.nextDouble() * 1500, 1000, rnd.nextDouble() * 60, rnd.nextDouble() * 0.06));
            }
            Weights w = loop.tick(new PolicyInput(rnd.nextDouble(), rnd.nextInt(3) * 10.0, shadows));
            double sum = w.primary();
            assertThat(w.primary()).isGreaterThanOrEqualTo(0);
            for (double v : w.shadows().values()) {
                assertThat(v).isGreaterThanOrEqualTo(0);
                sum += v;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-9));
            clock.advanceMillis(rnd.nextInt(2000));
        }
    }

    @Test
    void aVmsShadowPolicyDecidesServingAndTheStalenessBound() {
        ShadowPolicy serving = io.shadowvm.core.vm.ShadowPolicy.of(1, io.shadowvm.core.vm.ShadowMode.SERVING);
        ShadowPolicy standby = io.shadowvm.core.vm.ShadowPolicy.of(1, io.shadowvm.core.vm.ShadowMode.STANDBY);
        RedirectionPolicy p = new RedirectionPolicy(UNSMOOTHED);
        ShadowStatus fresh = ShadowStatus.of(serving, "s", true, 10, 0, 0, 0, 0);
        assertThat(fresh.stalenessBoundMs()).isEqualTo(serving.stalenessMs());
        assertThat(p.healthFactor(fresh)).isEqualTo(1.0);
        assertThat(p.healthFactor(ShadowStatus.of(serving, "s", true, 10, 0, serving.stalenessMs(), 0, 0))).isZero();
        assertThat(p.healthFactor(ShadowStatus.of(standby, "s", true, 10, 0, 0, 0, 0))).isZero();
    }

    @Test
    void invalidConfigurationNamesTheValueAndTheBound() {
        assertThatThrownBy(() -> PolicyConfig.defaults().withThresholds(0.5, 0.7))
            .isInstanceOf(RedirectException.class)
            .hasMessage("invalid releaseThreshold: 0.7 (expected: <= engageThreshold 0.5)");
        assertThatThrownBy(() -> PolicyConfig.defaults().withStability(0, 0))
            .hasMessage("invalid maxStepPerTick: 0.0 (expected: (0, 1])");
        assertThatThrownBy(() -> PolicyInput.of(1.5))
            .hasMessage("invalid primaryScore: 1.5 (expected: [0, 1])");
    }
}
