package org.sediment.common.api.ssd;

import java.util.Arrays;
import java.util.Comparator;

/** One item of a timeline as a read returns it; equal by content. */
public record TimelineItem(long ts, int seq, byte[] value) {

    /** Bytes of an item on the wire besides its value: ts, seq and the value's length. */
    public static final int ENCODED_OVERHEAD_BYTES = 8 + 4 + 4;

    /** Timeline order (ts descending, then seq descending as unsigned), the order of every page. */
    public static final Comparator<TimelineItem> NEWEST_FIRST = (a, b) -> {
        int c = Long.compare(b.ts, a.ts);
        return c != 0 ? c : Integer.compareUnsigned(b.seq, a.seq);
    };

    public TimelineItem {
        Checks.ts(ts, "ts");
        Checks.value(value);
    }

    /** What this item adds to a reply body: lets a server fill a page up to the frame limit. */
    public int encodedBytes() {
        return ENCODED_OVERHEAD_BYTES + value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimelineItem i && i.ts == ts && i.seq == seq && Arrays.equals(i.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(ts) + seq) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return ts + "/" + Integer.toUnsignedString(seq) + "=" + value.length + "B";
    }
}
