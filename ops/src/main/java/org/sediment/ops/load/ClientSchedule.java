package org.sediment.ops.load;

import java.util.concurrent.locks.LockSupport;

/**
 * When each request of one load client is due, and from when its latency counts.
 *
 * <p>A closed-loop client sends the next request as soon as the last one is answered, so a slow
 * server is offered less load and its latency is measured from the send. An open-loop client
 * sends one request every {@code intervalNanos}, whatever the server does; a request it could
 * not send on time (the previous one was still outstanding) is sent late and timed from when it
 * was due, so time spent queued behind a stall counts (no coordinated omission).
 */
final class ClientSchedule {

    private final long intervalNanos;
    private long due;

    private ClientSchedule(long intervalNanos, long firstDue) {
        this.intervalNanos = intervalNanos;
        this.due = firstDue;
    }

    static ClientSchedule closedLoop() {
        return new ClientSchedule(0, 0);
    }

    /**
     * Client {@code index} of {@code clients} sharing {@code opsPerSecond}: each sends every
     * {@code clients / opsPerSecond} seconds, the clients' first requests spread evenly over one
     * interval from {@code startNanos}.
     */
    static ClientSchedule openLoop(double opsPerSecond, int clients, int index, long startNanos) {
        if (!(opsPerSecond > 0) || clients < 1 || index < 0 || index >= clients) {
            throw new IllegalArgumentException("need a positive rate and 0 ≤ index < clients, got rate "
                    + opsPerSecond + ", index " + index + " of " + clients);
        }
        long interval = Math.max(1, Math.round(1e9 * clients / opsPerSecond));
        return new ClientSchedule(interval, startNanos + interval * index / clients);
    }

    boolean isOpenLoop() {
        return intervalNanos > 0;
    }

    /**
     * Waits until the next request is due and returns the time its latency counts from: the due
     * time in an open loop (in the past if the client is behind), else {@code now}.
     */
    long awaitNext() {
        if (!isOpenLoop()) {
            return System.nanoTime();
        }
        long start = due;
        due += intervalNanos;
        for (long wait = start - System.nanoTime(); wait > 0; wait = start - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
        return start;
    }

    /** The due time of the next request (open loop only); for tests. */
    long nextDue() {
        return due;
    }
}
