package io.shadowvm.controller.loop;

import io.shadowvm.controller.failure.PhiConfig;
import io.shadowvm.core.ShadowVmException;

/**
 * Settings of the control loop, validated on construction.
 *
 * @param tickMs               period of the six-step tick (default 1000)
 * @param heartbeatIntervalMs  what agents are told to use (default 100)
 * @param telemetryIntervalMs  what agents are told to use (default 1000)
 * @param commandResendMs      an unanswered command is re-sent (same id) after this long (default 5000)
 * @param resumeGraceMs        after becoming leader, hosts known from the store get this long to re-register
 *                             before failure detection applies to them (default 10000)
 * @param progressPersistMs    acknowledged-epoch progress is written to the store at most this often (default 5000)
 * @param phi                  the failure detector's settings
 */
public record LoopConfig(long tickMs, long heartbeatIntervalMs, long telemetryIntervalMs, long commandResendMs,
                         long resumeGraceMs, long progressPersistMs, PhiConfig phi) {
    public LoopConfig {
        check("tick", tickMs, 1, 60_000);
        check("heartbeat interval", heartbeatIntervalMs, 1, 60_000);
        check("telemetry interval", telemetryIntervalMs, 1, 600_000);
        check("command resend", commandResendMs, 1, 3_600_000);
        check("resume grace", resumeGraceMs, 0, 3_600_000);
        check("progress persist", progressPersistMs, 0, 3_600_000);
    }

    public static LoopConfig defaults() {
        return of(1_000, 100);
    }

    public static LoopConfig of(long tickMs, long heartbeatIntervalMs) {
        return new LoopConfig(tickMs, heartbeatIntervalMs, Math.min(1_000, tickMs), 5_000, 10_000, 5_000,
            PhiConfig.forInterval(heartbeatIntervalMs));
    }

    private static void check(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new ShadowVmException(name + ": " + v + " ms (expected: " + min + ".." + max + ")");
        }
    }
}
