package io.shadowvm.sync.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.core.time.ManualClock;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void shouldLetSendingOverdrawOnceThenWaitUntilTheRateRefillsIt() {
        ManualClock clock = new ManualClock();
        TokenBucket b = new TokenBucket(1_000_000, 100_000, clock);
        assertThat(b.ready()).isTrue();
        b.consume(600_000); // one big frame: balance -500,000
        assertThat(b.ready()).isFalse();
        clock.advanceMillis(499);
        assertThat(b.ready()).isFalse();
        clock.advanceMillis(1);
        assertThat(b.ready()).isTrue();
    }

    @Test
    void shouldNeverSaveUpMoreThanTheBurst() {
        ManualClock clock = new ManualClock();
        TokenBucket b = new TokenBucket(1_000_000, 100_000, clock);
        clock.advanceMillis(10_000);
        assertThat(b.ready()).isTrue();
        b.consume(200_001);
        assertThat(b.ready()).isFalse();
    }

    @Test
    void shouldBeUnlimitedAtRateZero() {
        TokenBucket b = new TokenBucket(0, 0, new ManualClock());
        b.consume(Long.MAX_VALUE / 2);
        assertThat(b.ready()).isTrue();
    }
}
