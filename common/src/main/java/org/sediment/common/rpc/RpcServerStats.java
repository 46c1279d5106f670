package org.sediment.common.rpc;

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

    @Override
    public String toString() {
        return "served=" + requestsServed() + " staleRoute=" + rejectedStaleRoute() + " overloaded="
                + rejectedOverloaded() + " badFrames=" + badFramesAnswered() + " closedOnBadFraming="
                + connectionsClosedOnBadFraming() + " handlerFailures=" + handlerFailures() + " ioErrors="
                + ioErrors() + " unexpected=" + unexpectedExceptions();
    }
}
