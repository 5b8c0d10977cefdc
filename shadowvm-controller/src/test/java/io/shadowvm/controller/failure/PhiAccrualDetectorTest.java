package io.shadowvm.controller.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.controller.model.HostLiveness;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.time.ManualClock;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhiAccrualDetectorTest {
    private final PhiConfig config = new PhiConfig(100, 10, 0, 100, 3, 8);

    @Test
    void phiIsLowRightAfterARegularHeartbeatAndGrowsWithSilence() {
        PhiAccrualDetector d = new PhiAccrualDetector(config);
        ManualClock clock = new ManualClock();
        for (int i = 0; i < 20; i++) {
            d.heartbeat(clock.epochMillis());
            clock.advanceMillis(100);
        }
        long last = clock.epochMillis() - 100;
        assertThat(d.phi(last + 50)).isLessThan(0.5);
        double prev = 0;
        for (long t = last + 100; t <= last + 400; t += 20) {
            double phi = d.phi(t);
            assertThat(phi).as("phi at +%d ms", t - last).isGreaterThanOrEqualTo(prev);
            prev = phi;
        }
        assertThat(d.phi(last + 300)).isGreaterThan(8);
    }

    @Test
    void jitteryHeartbeatsWidenTheDistributionSoTheSameSilenceIsLessSuspicious() {
        PhiAccrualDetector steady = new PhiAccrualDetector(config);
        PhiAccrualDetector jittery = new PhiAccrualDetector(config);
        long ts = 0;
        long tj = 0;
        for (int i = 0; i < 50; i++) {
            steady.heartbeat(ts);
            jittery.heartbeat(tj);
            ts += 100;
            tj += (i % 2 == 0) ? 40 : 160;
        }
        long s = ts - 100;
        long j = tj - ((49 % 2 == 0) ? 40 : 160);
        assertThat(jittery.phi(j + 250)).isLessThan(steady.phi(s + 250));
    }

    @Test
    void aProcessThatSentOnlyOneHeartbeatIsStillDetected() {
        PhiAccrualDetector d = new PhiAccrualDetector(config);
        d.heartbeat(1_000);
        assertThat(d.phi(1_000 + 1_000)).isGreaterThan(8);
    }

    @Test
    void theDetectorGoesAliveSuspectDeadAndDeadIsSticky() {
        FailureDetector fd = new FailureDetector(PhiConfig.forInterval(100));
        ManualClock clock = new ManualClock();
        fd.register("h1", clock.epochMillis());
        for (int i = 0; i < 10; i++) {
            clock.advanceMillis(100);
            fd.heartbeat("h1", clock.epochMillis());
        }
        assertThat(fd.evaluate(clock.epochMillis())).isEmpty();
        HostLiveness seen = HostLiveness.ALIVE;
        boolean sawSuspect = false;
        for (int i = 0; i < 100 && seen != HostLiveness.DEAD; i++) {
            clock.advanceMillis(20);
            for (FailureDetector.Transition t : fd.evaluate(clock.epochMillis())) {
                seen = t.to();
                sawSuspect |= t.to() == HostLiveness.SUSPECT;
            }
        }
        assertThat(sawSuspect).isTrue();
        assertThat(seen).isEqualTo(HostLiveness.DEAD);
        fd.heartbeat("h1", clock.epochMillis());
        assertThat(fd.evaluate(clock.epochMillis())).isEmpty();
        assertThat(fd.liveness("h1")).isEqualTo(HostLiveness.DEAD);
        fd.register("h1", clock.epochMillis());
        assertThat(fd.liveness("h1")).isEqualTo(HostLiveness.ALIVE);
    }

    @Test
    void aSuspectHostWhoseHeartbeatsResumeIsAliveAgain() {
        FailureDetector fd = new FailureDetector(new PhiConfig(100, 10, 0, 100, 1, 20));
        ManualClock clock = new ManualClock();
        fd.register("h1", clock.epochMillis());
        for (int i = 0; i < 10; i++) {
            clock.advanceMillis(100);
            fd.heartbeat("h1", clock.epochMillis());
        }
        clock.advanceMillis(115);
        assertThat(fd.evaluate(clock.epochMillis())).extracting(FailureDetector.Transition::to)
            .containsExactly(HostLiveness.SUSPECT);
        fd.heartbeat("h1", clock.epochMillis());
        assertThat(fd.evaluate(clock.epochMillis())).extracting(FailureDetector.Transition::to)
            .containsExactly(HostLiveness.ALIVE);
    }

    @Test
    void invalidSettingsNameTheValueAndTheBound() {
        assertThatThrownBy(() -> new PhiConfig(0, 10, 0, 100, 3, 8)).isInstanceOf(ShadowVmException.class)
            .hasMessage("heartbeat interval: 0 ms (expected: 1..60000)");
        assertThatThrownBy(() -> new PhiConfig(100, 10, 0, 100, 8, 3))
            .hasMessage("phi thresholds: suspect 8.0, dead 3.0 (expected: 0 < suspect < dead)");
    }

    @Test
    void silenceWhileTheDetectorItselfStalledIsForgivenButLaterSilenceStillCounts() {
        FailureDetector d = new FailureDetector(PhiConfig.forInterval(100));
        d.register("h1", 0);
        for (long t = 100; t <= 1_000; t += 100) {
            d.heartbeat("h1", t);
        }
        // the detector's thread stalled from 1 000 to 4 000 ms: nobody looked, so that gap is no evidence
        d.forgive(3_000, 4_000);
        assertThat(d.evaluate(4_000)).isEmpty();
        assertThat(d.liveness("h1")).isEqualTo(HostLiveness.ALIVE);
        // the host stays silent after the stall: it is declared dead as if the stall had not happened
        assertThat(d.evaluate(5_000)).extracting(FailureDetector.Transition::to).contains(HostLiveness.DEAD);
    }

    @Test
    void aSilentHostWhoseConnectionIsStillOpenGetsTheConnectedPauseBeforeItIsDeclaredDead() {
        FailureDetector d = new FailureDetector(PhiConfig.forInterval(100));
        d.register("up", 0);
        d.register("gone", 0);
        for (long t = 100; t <= 1_000; t += 100) {
            d.heartbeat("up", t);
            d.heartbeat("gone", t);
        }
        List<FailureDetector.Transition> at1700 = d.evaluate(1_700, h -> h.equals("up"));
        assertThat(d.liveness("gone")).as("disconnected, 700 ms silent").isEqualTo(HostLiveness.DEAD);
        assertThat(d.liveness("up")).as("connected, 700 ms silent").isEqualTo(HostLiveness.SUSPECT);
        assertThat(at1700).hasSize(2);
        d.evaluate(3_700, h -> h.equals("up"));
        assertThat(d.liveness("up")).as("connected, 2.7 s silent").isEqualTo(HostLiveness.DEAD);
    }
}
