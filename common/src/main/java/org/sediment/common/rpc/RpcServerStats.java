package org.sediment.common.rpc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one server, cheap enough to bump on every frame. Tests read them to prove that bad
 * input was answered rather than crashing anything; production exports them as metrics.
 */
public final class RpcServerStats {
    final LongAdder requestsServed = new LongAdder();
    final LongAdder rejectedStaleRoute = new LongAdder();
    final LongAdder rejectedOverloaded = new LongAdder();
    final LongAdder badFramesAnswered = new LongAdder();
    final LongAdder connectionsClosedOnBadFraming = new LongAdder();
    final LongAdder handlerFailures = new LongAdder();
    final LongAdder ioErrors = new LongAdder();
    final LongAdder unexpectedExceptions = new LongAdder();
    final LongAdder connectionsAccepted = new LongAdder();
    final LongAdder connectionsRejectedOverLimit = new LongAdder();
    final LongAdder connectionsClosedIdle = new LongAdder();
    final LongAdder connectionsClosedFrameTimeout = new LongAdder();
    /** The count {@code maxConnections} is checked against; {@link ConnectionLimit} keeps it. */
    final AtomicInteger openConnections = new AtomicInteger();

    /** Requests a handler answered (success or typed rejection). */
    public long requestsServed() {
        return requestsServed.sum();
    }

    public long rejectedStaleRoute() {
        return rejectedStaleRoute.sum();
    }

    public long rejectedOverloaded() {
        return rejectedOverloaded.sum();
    }

    /** Well-framed but bad frames answered with an error while the connection stayed open. */
    public long badFramesAnswered() {
        return badFramesAnswered.sum();
    }

    /** Connections closed because their framing could not be trusted any more. */
    public long connectionsClosedOnBadFraming() {
        return connectionsClosedOnBadFraming.sum();
    }

    /** Handlers that threw: bugs, answered INTERNAL. */
    public long handlerFailures() {
        return handlerFailures.sum();
    }

    /** Socket errors (resets by peers); the connection is closed. */
    public long ioErrors() {
        return ioErrors.sum();
    }

    /** Exceptions that reached the end of a pipeline and were not wire or I/O failures: bugs. */
    public long unexpectedExceptions() {
        return unexpectedExceptions.sum();
    }

    /** Connections admitted since start (below {@code maxConnections}). */
    public long connectionsAccepted() {
        return connectionsAccepted.sum();
    }

    /** Connections closed as soon as they were accepted, because {@code maxConnections} were open. */
    public long connectionsRejectedOverLimit() {
        return connectionsRejectedOverLimit.sum();
    }

    /** Connections closed because no complete frame arrived for {@code idleTimeoutMs}. */
    public long connectionsClosedIdle() {
        return connectionsClosedIdle.sum();
    }

    /** Connections closed because a started frame was not finished within {@code frameTimeoutMs}. */
    public long connectionsClosedFrameTimeout() {
        return connectionsClosedFrameTimeout.sum();
    }

    /** Connections admitted and not yet closed: a gauge. */
    public int openConnections() {
        return openConnections.get();
    }

    @Override
    public String toString() {
        return "served=" + requestsServed() + " staleRoute=" + rejectedStaleRoute() + " overloaded="
                + rejectedOverloaded() + " badFrames=" + badFramesAnswered() + " closedOnBadFraming="
                + connectionsClosedOnBadFraming() + " handlerFailures=" + handlerFailures() + " ioErrors="
                + ioErrors() + " unexpected=" + unexpectedExceptions() + " open=" + openConnections()
                + " accepted=" + connectionsAccepted() + " overLimit=" + connectionsRejectedOverLimit()
                + " closedIdle=" + connectionsClosedIdle() + " closedFrameTimeout=" + connectionsClosedFrameTimeout();
    }
}
