package org.sediment.ssd.paxos;

import java.util.Arrays;

/** One stored item of a timeline, as the applied state returns it. */
public record Item(long ts, int seq, byte[] value) {

    @Override
    public boolean equals(Object o) {
        return o instanceof Item i && i.ts == ts && i.seq == seq && Arrays.equals(i.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(ts) + seq) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return ts + "/" + seq + "=" + value.length + "B";
    }
}
