package org.sediment.common.api.ssd;

import java.util.Arrays;

/**
 * One write to one timeline, decided through the timeline's Paxos log.
 *
 * @param timeline  the owner id (unsigned)
 * @param ifVersion {@link SsdApi#UNCONDITIONAL}, or the version the timeline must be at for the
 *                  write to apply (compare-and-set); otherwise the reply is
 *                  {@link WriteStatus#VERSION_MISMATCH}
 * @param ts        item time, epoch-ms, within the {@code ItemKey} range
 * @param seq       the item's seq for PUT and DELETE; 0 for APPEND, whose seq the tier assigns
 * @param value     at most {@link SsdApi#MAX_VALUE_BYTES}; empty for DELETE
 */
public record WriteRequest(long timeline, WriteKind kind, long ifVersion, long ts, int seq, byte[] value) {

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
                && w.ts == ts && w.seq == seq && Arrays.equals(w.value, value);
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
