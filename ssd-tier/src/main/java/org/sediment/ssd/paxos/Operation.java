package org.sediment.ssd.paxos;

import java.util.Arrays;

/**
 * One operation on a timeline, decided through the timeline's Paxos log. {@code opId} is unique
 * per client request (the checker and the proposer's reply routing use it); {@code ifVersion}
 * is {@link #UNCONDITIONAL} or a timeline version after which nothing may have been written for
 * the operation to apply (compare-and-set).
 */
public sealed interface Operation {
    long UNCONDITIONAL = -1L;

    long opId();

    long ifVersion();

    default boolean conditional() {
        return ifVersion() != UNCONDITIONAL;
    }

    /** Appends an item at {@code ts}; the seq is assigned at apply time. */
    record Append(long opId, long ifVersion, long ts, byte[] value) implements Operation {
        @Override
        public String toString() {
            return "Append#" + opId + "(ts=" + ts + ", " + value.length + "B)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Append a && a.opId == opId && a.ifVersion == ifVersion && a.ts == ts
                    && Arrays.equals(a.value, value);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(opId);
        }
    }

    /** Writes (creates or replaces) one item. */
    record Put(long opId, long ifVersion, long ts, int seq, byte[] value) implements Operation {
        @Override
        public String toString() {
            return "Put#" + opId + "(" + ts + "/" + seq + ", " + value.length + "B)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put p && p.opId == opId && p.ifVersion == ifVersion && p.ts == ts
                    && p.seq == seq && Arrays.equals(p.value, value);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(opId);
        }
    }

    /** Removes one item; removing an absent item succeeds (and still takes a version). */
    record Delete(long opId, long ifVersion, long ts, int seq) implements Operation {
    }

    /**
     * Internal operation the sinker commits: the item range up to {@code coldBeforeTs} now lives
     * in the cold tier at {@code link}. Applying it records the link; the applied state decides
     * what to drop.
     */
    record CommitColdLink(long opId, long ifVersion, long coldBeforeTs, byte[] link) implements Operation {
        @Override
        public boolean equals(Object o) {
            return o instanceof CommitColdLink c && c.opId == opId && c.ifVersion == ifVersion
                    && c.coldBeforeTs == coldBeforeTs && Arrays.equals(c.link, link);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(opId);
        }
    }
}
