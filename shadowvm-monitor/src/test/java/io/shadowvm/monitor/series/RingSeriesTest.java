package io.shadowvm.monitor.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RingSeriesTest {

    @Test
    void shouldReturnTheLastPointsOldestFirst() {
        RingSeries s = new RingSeries(8);
        for (int i = 0; i < 5; i++) {
            s.append(100 + i, i * 1.5);
        }
        long[] ts = new long[3];
        double[] v = new double[3];
        assertThat(s.lastN(3, ts, v)).isEqualTo(3);
        assertThat(ts).containsExactly(102, 103, 104);
        assertThat(v).containsExactly(3.0, 4.5, 6.0);
    }

    @Test
    void shouldOverwriteTheOldestPointWhenFull() {
        RingSeries s = new RingSeries(4);
        for (int i = 0; i < 10; i++) {
            s.append(i, i);
        }
        long[] ts = new long[10];
        double[] v = new double[10];
        assertThat(s.size()).isEqualTo(4);
        assertThat(s.lastN(10, ts, v)).isEqualTo(4);
        assertThat(ts).startsWith(6, 7, 8, 9);
        assertThat(s.timestampAt(0)).isEqualTo(6);
        assertThat(s.newestValue()).isEqualTo(9.0);
    }

    @Test
    void shouldCopyOnlyThePointsInsideTheRangeAcrossTheWrap() {
        RingSeries s = new RingSeries(5);
        for (int i = 0; i < 12; i++) {
            s.append(i * 10L, i);
        }
        // holds 70..110
        long[] ts = new long[5];
        double[] v = new double[5];
        assertThat(s.between(75, 105, ts, v)).isEqualTo(3);
        assertThat(ts).startsWith(80, 90, 100);
        assertThat(s.between(0, 70, ts, v)).isZero();
        assertThat(s.between(0, 1_000, ts, v)).isEqualTo(5);
    }

    @Test
    void shouldBoundRangeCopiesByTheCallersArrays() {
        RingSeries s = new RingSeries(16);
        for (int i = 0; i < 16; i++) {
            s.append(i, i);
        }
        long[] ts = new long[4];
        double[] v = new double[4];
        assertThat(s.between(2, 12, ts, v)).isEqualTo(4);
        assertThat(ts).containsExactly(2, 3, 4, 5);
    }

    @Test
    void shouldRejectAPointOlderThanTheNewestOne() {
        RingSeries s = new RingSeries(4);
        s.append(10, 1);
        assertThat(s.append(9, 2)).isFalse();
        assertThat(s.append(10, 3)).isTrue();
        assertThat(s.rejectedCount()).isEqualTo(1);
        assertThat(s.size()).isEqualTo(2);
    }

    @Test
    void shouldNameTheBoundOfAnInvalidCapacity() {
        assertThatThrownBy(() -> new RingSeries(0)).hasMessageContaining("0").hasMessageContaining("expected: 1-");
    }
}
