package org.sediment.common.time;

/**
 * A clock that moves only when told to: simulators and tests advance it explicitly, so a run
 * depends on its seed and nothing else. Not thread-safe by design; one simulator thread owns it.
 */
public final class ManualClock implements Clock {
    private long epochMillis;
    private long monotonicNanos;

    public ManualClock(long startEpochMillis) {
        this.epochMillis = startEpochMillis;
    }

    @Override
    public long epochMillis() {
        return epochMillis;
    }

    @Override
    public long monotonicNanos() {
        return monotonicNanos;
    }

    public void advanceMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("time only moves forward, got " + millis + " ms");
        }
        epochMillis += millis;
        monotonicNanos += millis * 1_000_000L;
    }
}
