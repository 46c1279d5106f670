package org.sediment.common.rpc;

import org.sediment.common.wire.ErrorCode;

/**
 * The result of a call, on both sides: a client's future always completes normally with one of
 * these (never exceptionally, except for bugs), and a server's {@link RequestHandler} returns one.
 */
public sealed interface RpcOutcome<R> permits RpcOutcome.Success, RpcOutcome.Failure {

    /** Who produced a failure, which tells a caller whether the peer saw the request at all. */
    enum Origin {
        /** The peer answered with an error frame. */
        PEER,
        /** This process: timeout, in-flight bound, no connection, undecodable reply. */
        LOCAL
    }

    static <R> Success<R> success(R body) {
        return new Success<>(body, 0L);
    }

    /** A handler's rejection, sent to the client as an error frame. */
    static <R> Failure<R> reject(ErrorCode code, String detail) {
        return new Failure<>(code, detail, 0L, Origin.PEER);
    }

    /**
     * @param serverRouteVersion the route version the server had when it answered (0 when a
     *                           handler builds the outcome; the server fills in the header)
     */
    record Success<R>(R body, long serverRouteVersion) implements RpcOutcome<R> {
        public Success {
            if (body == null) {
                throw new IllegalArgumentException("body must not be null");
            }
        }
    }

    /**
     * @param currentRouteVersion the peer's route version; the one to reload to on STALE_ROUTE
     */
    record Failure<R>(ErrorCode code, String detail, long currentRouteVersion, Origin origin)
            implements RpcOutcome<R> {
        public Failure {
            if (code == null || detail == null || origin == null) {
                throw new IllegalArgumentException("code, detail and origin must not be null");
            }
        }

        static <R> Failure<R> local(ErrorCode code, String detail) {
            return new Failure<>(code, detail, 0L, Origin.LOCAL);
        }
    }
}
