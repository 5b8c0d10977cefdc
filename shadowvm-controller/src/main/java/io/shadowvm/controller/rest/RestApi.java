package io.shadowvm.controller.rest;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowvm.api.Protocol;
import io.shadowvm.api.rest.ApiException;
import io.shadowvm.api.rest.ApiJson;
import io.shadowvm.api.rest.Views.ErrorView;
import io.shadowvm.api.rest.Views.VmAccepted;
import io.shadowvm.api.rest.VmCreateRequest;
import io.shadowvm.controller.Controller;
import io.shadowvm.controller.loop.ClusterSnapshot;
import io.shadowvm.controller.loop.Inbound;
import io.shadowvm.controller.model.FailoverRecord;
import io.shadowvm.controller.model.VmDesired;
import io.shadowvm.core.ShadowVmException;
import io.shadowvm.core.vm.VmSpec;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /api/v1} and {@code /metrics} of one controller. Reads come from the loop's published snapshot
 * (any controller answers them; {@code status.leader} says whether this one acts); writes go to the loop
 * and wait for its answer (a follower answers 503 naming the leader).
 */
public final class RestApi implements AutoCloseable {
    static final long WRITE_TIMEOUT_MS = 10_000;
    private static final String JSON = "application/json";

    private final Controller controller;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Javalin app;

    private RestApi(Controller controller) {
        this.controller = controller;
    }

    public static RestApi start(Controller controller, String bind, int port) {
        RestApi api = new RestApi(controller);
        api.registerMetrics();
        try {
            api.app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                api.routes(cfg.routes);
            }).start(bind, port);
        } catch (RuntimeException e) {
            throw new ShadowVmException("cannot serve the REST API on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        return api;
    }

    public int port() {
        return app.port();
    }

    private void routes(io.javalin.config.RoutesConfig r) {
        String p = Protocol.API_PREFIX;
        r.get(p + "/status", ctx -> json(ctx, 200, ViewMapper.status(snap(ctx), controller.leaderId())));
        r.get(p + "/topology", ctx -> json(ctx, 200, ViewMapper.topology(controller.topology())));
        r.get(p + "/hosts", ctx -> json(ctx, 200, snap(ctx).hosts()));
        r.get(p + "/vms", ctx -> json(ctx, 200, ViewMapper.vms(snap(ctx))));
        r.post(p + "/vms", this::createVm);
        r.get(p + "/vms/{name}", ctx -> {
            ClusterSnapshot s = snap(ctx);
            String name = ctx.pathParam("name");
            VmDesired d = s.desired().get(name);
            if (d == null) {
                throw ApiException.notFound("VM", name);
            }
            json(ctx, 200, ViewMapper.vm(d, s.placements().get(name)));
        });
        r.delete(p + "/vms/{name}", this::deleteVm);
        r.get(p + "/shadows", ctx -> json(ctx, 200, ViewMapper.shadows(snap(ctx))));
        r.get(p + "/predictions", ctx -> json(ctx, 200, snap(ctx).predictions()));
        r.get(p + "/weights", ctx -> json(ctx, 200, List.copyOf(snap(ctx).weights().values())));
        r.get(p + "/failovers", ctx -> json(ctx, 200, ViewMapper.failovers(snap(ctx))));
        r.get(p + "/events", ctx -> {
            allowQuery(ctx, Set.of("after", "limit"));
            long after = longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
            int limit = (int) longParam(ctx, "limit", 1000, 1, 10_000);
            json(ctx, 200, controller.events().since(after, limit));
        });
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        r.exception(ApiException.class, (e, ctx) -> json(ctx, e.status(), new ErrorView(e.getMessage(), e.field())));
        r.exception(ShadowVmException.class, (e, ctx) -> json(ctx, 400, new ErrorView(e.getMessage(), null)));
        r.exception(Exception.class, (e, ctx) -> json(ctx, 500, new ErrorView("internal error: " + e, null)));
        r.error(404, "*", ctx -> {
            String body = ctx.result();
            if (body == null || !body.startsWith("{")) {
                json(ctx, 404, new ErrorView("no such resource: " + ctx.method() + " " + ctx.path(), null));
            }
        });
    }

    private ClusterSnapshot snap(Context ctx) {
        if (!ctx.method().name().equals("GET")) {
            return controller.snapshot();
        }
        if (!ctx.path().endsWith("/events")) {
            allowQuery(ctx, Set.of());
        }
        return controller.snapshot();
    }

    private void createVm(Context ctx) {
        allowQuery(ctx, Set.of());
        VmCreateRequest req = ApiJson.read(ctx.body(), VmCreateRequest.class);
        VmSpec spec = req.toSpec();
        String guest = req.guest() == null ? VmCreateRequest.DEFAULT_GUEST : req.guest();
        CompletableFuture<String> done = new CompletableFuture<>();
        controller.offer(new Inbound.CreateVm(new VmDesired(spec, guest, System.currentTimeMillis()), done));
        String primary = await(done);
        json(ctx, 201, new VmAccepted(spec.name(), primary, "placed"));
    }

    private void deleteVm(Context ctx) {
        allowQuery(ctx, Set.of());
        CompletableFuture<String> done = new CompletableFuture<>();
        controller.offer(new Inbound.DeleteVm(ctx.pathParam("name"), done));
        json(ctx, 200, new VmAccepted(await(done), "", "deleted"));
    }

    private static String await(CompletableFuture<String> f) {
        try {
            return f.get(WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ShadowVmException s) {
                throw s;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ApiException(503, null, "the control loop did not answer within " + WRITE_TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, null, "interrupted");
        }
    }

    private static void allowQuery(Context ctx, Set<String> allowed) {
        for (String k : ctx.queryParamMap().keySet()) {
            if (!allowed.contains(k)) {
                throw new ApiException(400, k, "unknown query parameter '" + k + "' (expected: "
                    + (allowed.isEmpty() ? "none" : String.join(", ", allowed.stream().sorted().toList())) + ")");
            }
        }
    }

    private static long longParam(Context ctx, String name, long dflt, long min, long max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiException(400, name, name + ": '" + v + "' (expected: an integer " + min + ".." + max + ")");
        }
        if (n < min || n > max) {
            throw new ApiException(400, name, name + ": " + n + " (expected: " + min + ".." + max + ")");
        }
        return n;
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(ApiJson.write(body));
    }

    private void registerMetrics() {
        Gauge.builder("shadowvm_controller_leader", () -> controller.snapshot().leader() ? 1 : 0)
            .description("1 when this controller is the leader").register(metrics);
        Gauge.builder("shadowvm_controller_ticks", () -> controller.snapshot().tick())
            .description("control loop ticks run as leader").register(metrics);
        Gauge.builder("shadowvm_hosts_alive", () -> controller.snapshot().hosts().stream()
            .filter(h -> h.state().equals("ALIVE")).count()).register(metrics);
        Gauge.builder("shadowvm_vms", () -> controller.snapshot().desired().size()).register(metrics);
        Gauge.builder("shadowvm_shadows_in_sync", () -> ViewMapper.shadows(controller.snapshot()).stream()
            .filter(s -> s.state().equals("IN_SYNC")).count()).register(metrics);
        Gauge.builder("shadowvm_failovers", () -> controller.snapshot().failovers().size()).register(metrics);
        Gauge.builder("shadowvm_failover_last_rto_ms", () -> {
            List<FailoverRecord> f = controller.snapshot().failovers();
            return f.isEmpty() ? Double.NaN : f.get(f.size() - 1).rtoMs();
        }).register(metrics);
        Gauge.builder("shadowvm_controller_loop_errors", controller::errorCount).register(metrics);
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        metrics.close();
    }
}
