package io.shadowvm.monitor.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.core.time.ManualClock;
import org.junit.jupiter.api.Test;

class MetricSeriesTest {
    private final ManualClock clock = new ManualClock(1_699_999_800_000L); // a multiple of 5 min

    @Test
    void shouldAggregateSecondsIntoMinMaxMeanAndCount() {
        MetricSeries m = new MetricSeries("rtt", MetricSeries.Capacity.DEFAULT);
        long t0 = clock.epochMillis();
        // 4 points per second for 3 seconds: values 0..11
        for (int i = 0; i < 12; i++) {
            m.record(clock.epochMillis(), i);
            clock.advanceMillis(250);
        }
        m.advanceTo(clock.epochMillis());
        long[] start = new long[8];
        double[] min = new double[8];
        double[] max = new double[8];
        double[] mean = new double[8];
        long[] count = new long[8];
        assertThat(m.seconds().lastN(8, start, min, max, mean, count)).isEqualTo(3);
        assertThat(start).startsWith(t0, t0 + 1_000, t0 + 2_000);
        assertThat(min).startsWith(0, 4, 8);
        assertThat(max).startsWith(3, 7, 11);
        assertThat(mean).startsWith(1.5, 5.5, 9.5);
        assertThat(count).startsWith(4, 4, 4);
    }

    @Test
    void shouldCascadeSecondsIntoMinutesAndFiveMinutes() {
        MetricSeries m = new MetricSeries("util", MetricSeries.Capacity.DEFAULT);
        long t0 = clock.epochMillis();
        // one point per second for 11 minutes; value = minute index
        for (int s = 0; s < 11 * 60; s++) {
            m.record(clock.epochMillis(), s / 60);
            clock.advanceMillis(1_000);
        }
        m.advanceTo(clock.epochMillis());
        long[] start = new long[16];
        double[] min = new double[16];
        double[] max = new double[16];
        double[] mean = new double[16];
        long[] count = new long[16];
        assertThat(m.minutes().lastN(16, start, min, max, mean, count)).isEqualTo(11);
        assertThat(count[0]).isEqualTo(60);
        assertThat(mean[10]).isEqualTo(10.0);
        assertThat(start[10]).isEqualTo(t0 + 10 * 60_000L);

        assertThat(m.fiveMinutes().lastN(16, start, min, max, mean, count)).isEqualTo(2);
        assertThat(count).startsWith(300, 300);
        assertThat(min).startsWith(0, 5);
        assertThat(max).startsWith(4, 9);
        assertThat(mean[0]).isEqualTo(2.0);
        // the 11th minute is still filling the third 5-minute bucket
        assertThat(m.fiveMinutes().openCount()).isEqualTo(60);
    }

    @Test
    void shouldQueryRollupsByTimeRange() {
        MetricSeries m = new MetricSeries("x", new MetricSeries.Capacity(16, 10, 4, 4));
        long t0 = clock.epochMillis();
        for (int s = 0; s < 30; s++) {
            m.record(clock.epochMillis(), s);
            clock.advanceMillis(1_000);
        }
        m.advanceTo(clock.epochMillis());
        long[] start = new long[4];
        double[] min = new double[4];
        double[] max = new double[4];
        double[] mean = new double[4];
        long[] count = new long[4];
        // the ring keeps the last 10 seconds (20..29)
        assertThat(m.seconds().between(t0 + 22_000, t0 + 25_000, start, min, max, mean, count)).isEqualTo(3);
        assertThat(min).startsWith(22, 23, 24);
        assertThat(m.seconds().between(t0, t0 + 20_000, start, min, max, mean, count)).isZero();
        // raw ring keeps 16 points
        long[] ts = new long[32];
        double[] v = new double[32];
        assertThat(m.raw().between(t0, t0 + 60_000, ts, v)).isEqualTo(16);
        assertThat(v[0]).isEqualTo(14.0);
    }

    @Test
    void shouldLeaveABucketOpenUntilTimePassesItsEnd() {
        MetricSeries m = new MetricSeries("x", MetricSeries.Capacity.COMPACT);
        m.record(clock.epochMillis(), 1);
        clock.advanceMillis(999);
        m.advanceTo(clock.epochMillis());
        assertThat(m.seconds().size()).isZero();
        assertThat(m.seconds().openCount()).isEqualTo(1);
        clock.advanceMillis(1);
        m.advanceTo(clock.epochMillis());
        assertThat(m.seconds().size()).isEqualTo(1);
    }

    @Test
    void shouldHandOutStableIdsPerName() {
        SeriesStore store = new SeriesStore(4);
        int a = store.register("rtt_ms/h1", MetricSeries.Capacity.COMPACT);
        int b = store.register("rtt_ms/h2", MetricSeries.Capacity.COMPACT);
        assertThat(store.register("rtt_ms/h1", MetricSeries.Capacity.COMPACT)).isEqualTo(a);
        store.record(b, clock.epochMillis(), 2.5);
        assertThat(store.find("rtt_ms/h2").raw().newestValue()).isEqualTo(2.5);
        assertThat(store.find("nope")).isNull();
    }
}
