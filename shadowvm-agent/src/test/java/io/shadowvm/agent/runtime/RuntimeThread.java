package io.shadowvm.agent.runtime;

import io.shadowvm.agent.VmRuntime;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Drives a {@link VmRuntime} the way the agent does: one thread calls every method and {@code doWork()} every 5 ms.
 * Tests run their calls on it with {@link #call}.
 */
final class RuntimeThread implements AutoCloseable {
    final VmRuntime runtime;
    private final ScheduledExecutorService worker;
    volatile String lastWorkError = "";

    RuntimeThread(String name, VmRuntime runtime) {
        this.runtime = runtime;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vm-" + name);
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(() -> {
            try {
                runtime.doWork();
            } catch (RuntimeException e) {
                lastWorkError = e.getMessage();
            }
        }, 0, 5, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code f} on the runtime's thread; rethrows what it threw. */
    <T> T call(Function<VmRuntime, T> f) {
        try {
            return worker.submit(() -> f.apply(runtime)).get(180, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("runtime call did not finish: " + e, e);
        }
    }

    /** Every instance and the last work error: what a failed wait prints. */
    String diagnosis() {
        return "[" + call(VmRuntime::instances) + ", last doWork error: '" + lastWorkError + "']";
    }

    /** The instance of {@code vm} in the given role, or null. */
    VmRuntime.Instance instance(String vm, boolean primary) {
        return call(r -> r.instances().stream().filter(i -> i.vm().equals(vm) && i.primary() == primary).findFirst()
            .orElse(null));
    }

    /** Polls {@code cond} until it holds; fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier cond) {
        await(what, timeout, cond, () -> "");
    }

    /** As {@link #await(String, Duration, BooleanSupplier)}; a timeout also says what {@code diagnosis} finds. */
    static void await(String what, Duration timeout, BooleanSupplier cond, java.util.function.Supplier<String> diagnosis) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what + " "
                    + diagnosis.get());
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    @Override
    public void close() {
        try {
            worker.submit(runtime::close).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("runtime did not close: " + e, e);
        } finally {
            worker.shutdownNow();
        }
    }
}
