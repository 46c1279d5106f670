package org.sediment.common.block;

import java.util.Arrays;

/** One item of a sunk block: whose timeline, its key and its value. Equal by content. */
public record BlockItem(long owner, long ts, int seq, byte[] value) {

    public BlockItem {
        if (value == null) {
            throw new IllegalArgumentException("an item has a value");
        }
    }

    /** Bytes of the item in a block's raw (uncompressed) encoding. */
    int encodedBytes() {
        return 8 + 8 + 4 + 4 + value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockItem i && i.owner == owner && i.ts == ts && i.seq == seq && Arrays.equals(i.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(owner) + Long.hashCode(ts)) + seq;
    }

    @Override
    public String toString() {
        return owner + ":" + ts + "/" + Integer.toUnsignedString(seq) + "=" + value.length + "B";
    }
}
