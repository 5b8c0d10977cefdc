package io.shadowvm.core.time;

/**
 * A monotonic clock in nanoseconds. Components take one in their constructor so that tests can advance
 * time by hand ({@link ManualClock}) instead of sleeping.
 */
@FunctionalInterface
public interface NanoClock {
    /** Monotonic nanoseconds from an arbitrary origin; only differences are meaningful. */
    long nanoTime();

    /** The system's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;
}
