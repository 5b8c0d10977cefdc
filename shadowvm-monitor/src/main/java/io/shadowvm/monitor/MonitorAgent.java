package io.shadowvm.monitor;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.agent.AgentRunner;
import io.shadowvm.core.topology.Host;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.monitor.counters.CounterSampler;
import io.shadowvm.monitor.counters.InterfaceBinding;
import io.shadowvm.monitor.export.JsonLinesSink;
import io.shadowvm.monitor.export.PrometheusEndpoint;
import io.shadowvm.monitor.export.TelemetryBatch;
import io.shadowvm.monitor.export.TelemetryBatchBuilder;
import io.shadowvm.monitor.probe.ProbePlan;
import io.shadowvm.monitor.probe.ProbePlanner;
import io.shadowvm.monitor.probe.ProbeResponder;
import io.shadowvm.monitor.probe.Prober;
import io.shadowvm.monitor.series.SeriesStore;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Network Monitoring Agent: a probe responder on its own thread (answering fast matters to every
 * peer's measurement), and one measuring thread running the prober, the interface counters, the series
 * and the telemetry batches ({@link MonitorLoop}). Optional Prometheus {@code /metrics}. Batches for the
 * controller wait in a bounded queue ({@link #pollBatch()}); when nobody drains it the oldest are dropped.
 */
public final class MonitorAgent implements AutoCloseable {
    private static final int BATCH_QUEUE = 64;

    private final MonitorContext ctx;
    private final ProbeResponder responder;
    private final AgentRunner responderRunner;
    private final AgentRunner loopRunner;
    private final PrometheusEndpoint metrics;
    private final ProbePlan plan;
    private final List<InterfaceBinding> bindings;
    private final ArrayBlockingQueue<TelemetryBatch> batchQueue = new ArrayBlockingQueue<>(BATCH_QUEUE);
    private final AtomicLong droppedBatches = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private MonitorAgent(MonitorContext ctx) {
        ctx.requireConcluded();
        this.ctx = ctx;
        Topology topology = ctx.topology();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            PrometheusMeterRegistry registry = ctx.metricsListen() != null ? PrometheusEndpoint.newRegistry() : null;
            plan = ctx.probing() ? plan(ctx) : null;
            List<Prober.Target> targets = plan == null ? List.of() : targets(ctx, plan);
            String[] peerNames = new String[targets.size()];
            for (int i = 0; i < peerNames.length; i++) {
                peerNames[i] = targets.get(i).name();
            }
            bindings = ctx.counters()
                ? CounterSampler.bind(ctx.sysNet(), topology, ctx.interfaceLinks(), ctx.switchMode()) : List.of();
            SeriesStore series = new SeriesStore(16 + 3 * peerNames.length + bindings.size());
            TelemetryBatchBuilder batch = new TelemetryBatchBuilder(ctx.agentName(), ctx.batchMaxSamples());
            JsonLinesSink json = ctx.jsonLines() != null ? new JsonLinesSink(ctx.jsonLines()) : null;
            SampleRecorder recorder = new SampleRecorder(ctx.agentName(), peerNames, bindings, series, json, batch,
                registry);

            responder = ctx.listen() != null ? new ProbeResponder(ctx.listen(), ctx.epochClock()) : null;
            if (responder != null) {
                opened.add(responder);
            }
            Prober prober = targets.isEmpty() ? null
                : new Prober(targets, ctx.probeSettings(), ctx.nanoClock(), ctx.epochClock(), recorder);
            if (prober != null) {
                opened.add(prober);
            }
            CounterSampler sampler = bindings.isEmpty() ? null : new CounterSampler(ctx.sysNet(), bindings,
                TimeUnit.MILLISECONDS.toNanos(ctx.counterTickMs()), ctx.nanoClock(), ctx.epochClock(), recorder);
            if (sampler != null) {
                opened.add(sampler);
            }
            metrics = registry != null ? new PrometheusEndpoint(registry, ctx.metricsListen()) : null;
            if (metrics != null) {
                opened.add(metrics);
            }
            MonitorLoop loop = new MonitorLoop(prober, sampler, recorder, series, batch, this::offer,
                ctx.nanoClock(), ctx.epochClock(), TimeUnit.MILLISECONDS.toNanos(ctx.batchIntervalMs()));
            Consumer<Throwable> onError = t -> {
                // a bug, not a peer's fault (peers' failures are losses): say so, but do not flood
                if (errors.incrementAndGet() <= 10) {
                    System.err.println("monitor: unexpected error in " + ctx.agentName() + ": " + t);
                    t.printStackTrace();
                }
            };
            responderRunner = responder != null
                ? new AgentRunner(responder, responder.idleStrategy(50), onError).start() : null;
            loopRunner = new AgentRunner(loop, loop.idleStrategy(), onError).start();
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Validates nothing itself: call {@link MonitorContext#conclude()} first. */
    public static MonitorAgent start(MonitorContext ctx) {
        return new MonitorAgent(ctx);
    }

    private static ProbePlan plan(MonitorContext ctx) {
        ProbePlan p = new ProbePlanner(ctx.topology(), ctx.policy(), ctx.placements()).plan(ctx.host());
        if (ctx.peers() != null) {
            p = p.restrictTo(ctx.peers(), ctx.topology(), ctx.intervalMs() > 0 ? ctx.intervalMs()
                : ctx.policy().crossRackIntervalMs());
        }
        return ctx.intervalMs() > 0 ? p.withIntervalMs(ctx.intervalMs()) : p;
    }

    private static List<Prober.Target> targets(MonitorContext ctx, ProbePlan plan) {
        List<Prober.Target> out = new ArrayList<>(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            Host h = ctx.topology().host(plan.peer(i));
            InetSocketAddress a = ctx.peerAddresses().get(h.name());
            if (a == null) {
                throw new ShadowVmException("no address for peer " + h.name() + " of " + ctx.host()
                    + " (expected: --addresses FILE or --peer-address " + h.name() + "=HOST:PORT; "
                    + ctx.peerAddresses().size() + " addresses known)");
            }
            out.add(new Prober.Target(h.name(), a, TimeUnit.MILLISECONDS.toNanos(plan.intervalMs(i))));
        }
        return out;
    }

    private void offer(TelemetryBatch b) {
        while (!batchQueue.offer(b)) {
            if (batchQueue.poll() != null) {
                droppedBatches.incrementAndGet();
            }
        }
    }

    /** The oldest undelivered telemetry batch, or {@code null}. Any thread. */
    public TelemetryBatch pollBatch() {
        return batchQueue.poll();
    }

    public long droppedBatchCount() {
        return droppedBatches.get();
    }

    /** Unexpected exceptions the agent's threads caught and survived. */
    public long errorCount() {
        return errors.get();
    }

    public ProbePlan plan() {
        return plan;
    }

    public List<InterfaceBinding> bindings() {
        return bindings;
    }

    /** Where the responder listens, or {@code null}. */
    public InetSocketAddress responderAddress() {
        return responder == null ? null : responder.address();
    }

    public InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    public MonitorContext context() {
        return ctx;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loopRunner.close();
        if (responderRunner != null) {
            responderRunner.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
