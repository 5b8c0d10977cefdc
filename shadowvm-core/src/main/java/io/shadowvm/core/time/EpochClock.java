package io.shadowvm.core.time;

/** Wall-clock milliseconds since the Unix epoch, injectable for tests. */
@FunctionalInterface
public interface EpochClock {
    long epochMillis();

    EpochClock SYSTEM = System::currentTimeMillis;
}
