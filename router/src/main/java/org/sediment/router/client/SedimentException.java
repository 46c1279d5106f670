package org.sediment.router.client;

/**
 * Why a call through {@link SedimentClient} failed, as something a caller can act on. The
 * {@link Reason} says what to do; the message says what happened, for people.
 */
public class SedimentException extends RuntimeException {

    public enum Reason {
        /** The request is malformed (bad owner, value too large, ts out of range, bad cursor): fix it. */
        INVALID,
        /** A conditional write found the timeline at another version: see {@link VersionConflictException}. */
        VERSION_CONFLICT,
        /** The group could not decide the write in time; it may still apply. Retry with the same request id. */
        INDETERMINATE,
        /** No replica of the group can serve now (down, no majority): retry later. */
        UNAVAILABLE,
        /** This client or the group sheds load: back off and retry later. */
        OVERLOADED,
        /** The data sank to the cold tier and no cold reader is configured, or the cold replicas failed. */
        COLD_UNAVAILABLE,
        /** A bug or an unexpected answer. */
        INTERNAL
    }

    private final Reason reason;

    public SedimentException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SedimentException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
