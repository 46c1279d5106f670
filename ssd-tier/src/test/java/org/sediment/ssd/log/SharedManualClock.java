package org.sediment.ssd.log;

import java.util.concurrent.atomic.AtomicLong;
import org.sediment.common.time.Clock;
import org.sediment.common.time.ManualClock;

/**
 * Like {@link ManualClock}, time moves only when the test says so, but other threads may read it
 * while the test moves it: the log's flusher reads its clock on its own thread.
 */
final class SharedManualClock implements Clock {
    private final AtomicLong monotonicNanos = new AtomicLong();

    @Override
    public long epochMillis() {
        return monotonicNanos.get() / 1_000_000L;
    }

    @Override
    public long monotonicNanos() {
        return monotonicNanos.get();
    }

    void advanceMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("time only moves forward, got " + millis + " ms");
        }
        monotonicNanos.addAndGet(millis * 1_000_000L);
    }
}
