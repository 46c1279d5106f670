package org.sediment.common.api.ssd;

import java.util.Arrays;

/**
 * One write to one timeline, decided through the timeline's Paxos log.
 *
 * @param timeline  the owner id (unsigned)
 * @param ifVersion {@link SsdApi#UNCONDITIONAL}, or a version the caller saw: the write applies
 *                  only if nothing was written to the timeline after it (compare-and-set);
 *                  otherwise the reply is
 *                  {@link WriteStatus#VERSION_MISMATCH}
 * @param ts        item time, epoch-ms, within the {@code ItemKey} range
 * @param seq       the item's seq for PUT and DELETE; 0 for APPEND, whose seq the tier assigns
 * @param value     at most {@link SsdApi#MAX_VALUE_BYTES}; empty for DELETE
 * @param requestId the caller's id for this write, the same on every retry, so a retry on another
 *                  replica is answered with the first attempt's outcome instead of writing twice;
 *                  {@link #NO_REQUEST_ID} lets the replica pick one (a retry may then apply twice)
 */
public record WriteRequest(long timeline, WriteKind kind, long ifVersion, long ts, int seq, byte[] value,
                           long requestId) {

    public static final long NO_REQUEST_ID = 0;

    /** A write without an id of its own (the group client gives it one). */
    public WriteRequest(long timeline, WriteKind kind, long ifVersion, long ts, int seq, byte[] value) {
        this(timeline, kind, ifVersion, ts, seq, value, NO_REQUEST_ID);
    }

    /** The same write under {@code id}. */
    public WriteRequest withRequestId(long id) {
        return new WriteRequest(timeline, kind, ifVersion, ts, seq, value, id);
    }

    public WriteRequest {
        Checks.notNull(kind, "kind");
        Checks.ifVersion(ifVersion);
        Checks.ts(ts, "ts");
        Checks.value(value);
        if (kind == WriteKind.APPEND && seq != 0) {
            throw new IllegalArgumentException("an append's seq is assigned by the SSD tier: send 0, got " + seq);
        }
        if (kind == WriteKind.DELETE && value.length != 0) {
            throw new IllegalArgumentException("a delete carries no value, got " + value.length + " bytes");
        }
    }

    public boolean conditional() {
        return ifVersion != SsdApi.UNCONDITIONAL;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteRequest w && w.timeline == timeline && w.kind == kind && w.ifVersion == ifVersion
                && w.ts == ts && w.seq == seq && Arrays.equals(w.value, value) && w.requestId == requestId;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(timeline) + Long.hashCode(ts)) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "WriteRequest[" + Long.toUnsignedString(timeline) + " " + kind + " " + ts + "/"
                + Integer.toUnsignedString(seq) + (conditional() ? " if v" + ifVersion : "") + ", "
                + value.length + "B]";
    }
}
