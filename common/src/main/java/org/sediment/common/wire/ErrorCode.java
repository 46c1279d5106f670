package org.sediment.common.wire;

/**
 * Every failure a caller can see on the wire. A code exists only because a caller reacts to it
 * differently from the others; the reaction is written next to each one.
 */
public enum ErrorCode {
    /** Malformed frame or body. Caller: a bug on one side; do not retry the same bytes. */
    BAD_FRAME(1),
    /** Frame above the peer's {@code maxFrameBytes}. Caller: split the request or give up. */
    TOO_LARGE(2),
    /** The peer does not know the message type. Caller: the peer runs older code; try another. */
    UNKNOWN_TYPE(3),
    /** The peer does not speak this protocol version. Caller: talk to an upgraded peer. */
    UNSUPPORTED_VERSION(4),
    /** The request's route version is older than the peer's. Caller: reload routes, resend. */
    STALE_ROUTE(5),
    /** The peer (or the local in-flight bound) sheds load. Caller: back off, try a replica. */
    OVERLOADED(6),
    /** The addressed item or timeline does not exist. Caller: a normal, final answer. */
    NOT_FOUND(7),
    /** No reply within the timeout; the request may or may not have run. Caller: retry idempotently. */
    TIMEOUT(8),
    /** A bug or unexpected failure on the peer. Caller: try another replica, report it. */
    INTERNAL(9),
    /**
     * No connection to the peer: connect failed, or the connection closed before the reply. The
     * request may have run if it had been sent. Caller: try the next replica at once, without
     * waiting out a timeout.
     */
    UNAVAILABLE(10),
    /**
     * The request claims to come from a member of a group but does not prove it (its seal does
     * not verify under the group's key). Caller: check the key it was given; retrying the same
     * request cannot succeed.
     */
    UNAUTHENTICATED(11);

    private static final ErrorCode[] BY_WIRE_CODE = new ErrorCode[12];

    static {
        for (ErrorCode code : values()) {
            BY_WIRE_CODE[code.wireCode] = code;
        }
    }

    private final int wireCode;

    ErrorCode(int wireCode) {
        this.wireCode = wireCode;
    }

    public int wireCode() {
        return wireCode;
    }

    /** The code for a wire value, or {@code null} if the value names no code. */
    public static ErrorCode fromWireCode(int code) {
        return code >= 0 && code < BY_WIRE_CODE.length ? BY_WIRE_CODE[code] : null;
    }
}
