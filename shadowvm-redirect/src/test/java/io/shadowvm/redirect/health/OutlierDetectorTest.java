package io.shadowvm.redirect.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
    static final long S = 1_000_000_000L;
    final OutlierConfig cfg = new OutlierConfig(5, 30 * S, 300 * S, 50, 50, 0, S);

    @Test
    void fiveConsecutiveErrorsEjectAndASuccessInBetweenResetsTheCount() {
        OutlierDetector d = new OutlierDetector(cfg, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(d.onFailure(0, 0)).isFalse();
        }
        d.onSuccess(0);
        for (int i = 0; i < 4; i++) {
            assertThat(d.onFailure(0, 0)).isFalse();
        }
        assertThat(d.onFailure(0, 0)).isTrue();
        assertThat(d.isEjected(0)).isTrue();
    }

    @Test
    void ejectionTimeDoublesWithEachEjectionUpToTheCap() {
        OutlierDetector d = new OutlierDetector(cfg, 2);
        long now = 0;
        long[] expected = {30, 60, 120, 240, 300, 300};
        for (long e : expected) {
            for (int i = 0; i < 5; i++) {
                d.onFailure(0, now);
            }
            assertThat(d.ejectedUntilNs(0) - now).isEqualTo(e * S);
            now = d.ejectedUntilNs(0);
            assertThat(d.tick(now)).isTrue();
            assertThat(d.isEjected(0)).isFalse();
        }
    }

    @Test
    void neverMoreThanTheMaximumShareOfBackendsIsEjected() {
        OutlierDetector d = new OutlierDetector(cfg, 4);
        for (int b = 0; b < 4; b++) {
            for (int i = 0; i < 5; i++) {
                d.onFailure(b, 0);
            }
        }
        assertThat(d.ejectedCount()).isEqualTo(2);
    }

    @Test
    void ejectedBackendsGetNoWeightUnlessTooFewAreLeftThenPanicRoutesToAll() {
        OutlierDetector d = new OutlierDetector(new OutlierConfig(1, S, S, 100, 50, 0, S), 4);
        double[] w = {0.25, 0.25, 0.25, 0.25};
        d.onFailure(0, 0);
        assertThat(d.effectiveWeights(w)).containsExactly(0, 0.25, 0.25, 0.25);
        d.onFailure(1, 0);
        assertThat(d.effectiveWeights(w)).containsExactly(0, 0, 0.25, 0.25); // 2 of 4 left: not below 50%
        assertThat(d.panic(w)).isFalse();
        d.onFailure(2, 0);
        assertThat(d.effectiveWeights(w)).containsExactly(w); // 1 of 4 left: panic
        assertThat(d.panic(w)).isTrue();
    }

    @Test
    void whenEveryWeightedBackendIsEjectedTheConfiguredWeightsStand() {
        OutlierDetector d = new OutlierDetector(new OutlierConfig(1, S, S, 100, 0, 0, S), 2);
        d.onFailure(0, 0);
        assertThat(d.effectiveWeights(new double[] {1, 0})).containsExactly(1, 0);
    }
}
