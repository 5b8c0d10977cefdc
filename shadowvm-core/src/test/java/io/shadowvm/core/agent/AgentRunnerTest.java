package io.shadowvm.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AgentRunnerTest {
    @Test
    void runsTheAgentUntilClosedAndReportsErrorsWithoutStopping() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Agent agent = new Agent() {
            @Override
            public int doWork() {
                int n = calls.incrementAndGet();
                if (n == 3) {
                    throw new IllegalStateException("boom");
                }
                if (n == 10) {
                    enough.countDown();
                }
                return 1;
            }

            @Override
            public void onClose() {
                closed.countDown();
            }

            @Override
            public String roleName() {
                return "test";
            }
        };
        AgentRunner runner = new AgentRunner(agent, IdleStrategy.backoff(1_000, 1_000_000), t -> errors.incrementAndGet()).start();
        assertThat(enough.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(runner.close(10_000)).isTrue();
        assertThat(closed.getCount()).isZero();
        assertThat(errors.get()).isEqualTo(1);
        assertThat(runner.errorCount()).isEqualTo(1);
    }
}
