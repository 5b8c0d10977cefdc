package io.shadowvm.monitor;

import io.shadowvm.core.agent.Agent;
import io.shadowvm.core.agent.IdleStrategy;
import io.shadowvm.core.time.EpochClock;
import io.shadowvm.core.time.NanoClock;
import io.shadowvm.monitor.counters.CounterSampler;
import io.shadowvm.monitor.export.TelemetryBatch;
import io.shadowvm.monitor.export.TelemetryBatchBuilder;
import io.shadowvm.monitor.probe.Prober;
import io.shadowvm.monitor.series.SeriesStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The agent's measuring thread: the prober, the counter sampler, and every {@code batchIntervalNs} the
 * series' rollups advance and a telemetry batch is handed on. One thread owns the recorder, the series
 * and the batch builder. When idle it blocks in the prober's selector (a reply wakes it at once, so the
 * RTT is not inflated by a park) until the next probe, tick or batch is due.
 */
final class MonitorLoop implements Agent {
    private static final long MAX_BLOCK_MS = 50;
    private final Prober prober;
    private final CounterSampler sampler;
    private final SampleRecorder recorder;
    private final SeriesStore series;
    private final TelemetryBatchBuilder batch;
    private final Consumer<TelemetryBatch> batches;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final long batchIntervalNs;
    private long nextBatchNs;

    MonitorLoop(Prober prober, CounterSampler sampler, SampleRecorder recorder, SeriesStore series,
                TelemetryBatchBuilder batch, Consumer<TelemetryBatch> batches, NanoClock nanoClock,
                EpochClock epochClock, long batchIntervalNs) {
        this.prober = prober;
        this.sampler = sampler;
        this.recorder = recorder;
        this.series = series;
        this.batch = batch;
        this.batches = batches;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.batchIntervalNs = batchIntervalNs;
        this.nextBatchNs = nanoClock.nanoTime() + batchIntervalNs;
    }

    @Override
    public int doWork() throws Exception {
        int work = 0;
        if (prober != null) {
            work += prober.doWork();
        }
        if (sampler != null) {
            work += sampler.doWork();
        }
        long now = nanoClock.nanoTime();
        if (now >= nextBatchNs) {
            nextBatchNs = now + batchIntervalNs;
            long epochMs = epochClock.epochMillis();
            series.advanceTo(epochMs);
            if (batch.size() > 0) {
                batches.accept(batch.drain(epochMs));
            }
            work++;
        }
        recorder.flush(); // also what the idle strategy's select handled; a no-op when nothing was written
        return work;
    }

    IdleStrategy idleStrategy() {
        return work -> {
            if (work > 0) {
                return;
            }
            long waitNs = nextBatchNs - nanoClock.nanoTime();
            if (prober != null) {
                waitNs = Math.min(waitNs, prober.nanosUntilNextWork());
            }
            if (sampler != null) {
                waitNs = Math.min(waitNs, sampler.nanosUntilNextWork());
            }
            long waitMs = Math.min(MAX_BLOCK_MS, Prober.waitMs(waitNs));
            if (waitMs <= 0) {
                return;
            }
            if (prober != null) {
                try {
                    prober.awaitReadiness(waitMs);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                LockSupport.parkNanos(waitMs * 1_000_000);
            }
        };
    }

    @Override
    public void onClose() {
        if (prober != null) {
            prober.close();
        }
        if (sampler != null) {
            sampler.close();
        }
        recorder.flush();
    }

    @Override
    public String roleName() {
        return "monitor";
    }
}
