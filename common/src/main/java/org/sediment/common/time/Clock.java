package org.sediment.common.time;

/**
 * The only way Sediment code reads time. Core packages (Paxos, cache chains, the sink
 * coordinator) take a {@code Clock} so that a simulator can drive them with virtual time;
 * {@link #system()} is for process shells and adapters.
 */
public interface Clock {

    /** Wall-clock time in epoch milliseconds: item timestamps and time windows. */
    long epochMillis();

    /** Monotonic time in nanoseconds, for timeouts and latencies; unrelated to the epoch. */
    long monotonicNanos();

    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** Real time, for production adapters. */
    enum SystemClock implements Clock {
        INSTANCE;

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }
    }
}
