package io.shadowvm.predict.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsAccumulatorTest {
    @Test
    void shouldSetPrecisionToZeroWhenThereAreNoAlarms() {
        MetricsAccumulator m = new MetricsAccumulator("m", 1);
        m.addSeries(new double[] {0, 1, 0}, new double[] {0, 0, 0}, new double[] {0, 0, 0}, 0.5, 0.5);
        HorizonMetrics r = m.result();
        assertThat(r.precision()).isZero();
        assertThat(r.recall()).isZero();
        assertThat(r.f1()).isZero();
        assertThat(r.events()).isEqualTo(1);
        assertThat(r.leadTimeSteps()).isNaN();
    }

    @Test
    void shouldCountEventsAsRunsAndMeasureLeadFromTheFirstAlarmedTarget() {
        MetricsAccumulator m = new MetricsAccumulator("m", 3);
        double[] actual = {0, 1, 1, 1, 0, 0, 1, 1, 0};
        double[] prob = {0, 0, 1, 1, 1, 0, 1, 0, 0};
        m.addSeries(actual, actual, prob, 0.5, 0.5);
        HorizonMetrics r = m.result();
        assertThat(r.events()).isEqualTo(2);
        // event 1 starts at 1, first alarm targets 2 (origin -1): lead 2; event 2 starts at 6, alarmed: lead 3
        assertThat(r.leadTimeSteps()).isCloseTo(2.5, within(1e-12));
        assertThat(r.precision()).isCloseTo(3.0 / 4, within(1e-12));
        assertThat(r.recall()).isCloseTo(3.0 / 5, within(1e-12));
        assertThat(r.mse()).isZero();
        assertThat(r.brier()).isCloseTo(3.0 / 9, within(1e-12));
    }
}
