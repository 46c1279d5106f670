package org.sediment.router.client;

import java.util.Arrays;

/**
 * One item of a timeline: its owner, its key {@code (ts, seq)} and its value. Equal by content.
 * The value array is the one read off the wire, not a copy: pages are read far more often than
 * their values are changed, so a caller that wants to modify one copies it first.
 */
public record Item(long owner, long ts, int seq, byte[] value) {

    @Override
    public boolean equals(Object o) {
        return o instanceof Item i && i.owner == owner && i.ts == ts && i.seq == seq && Arrays.equals(i.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(owner) + Long.hashCode(ts)) + seq;
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(owner) + "@" + ts + "/" + Integer.toUnsignedString(seq) + "=" + value.length + "B";
    }
}
