package org.sediment.ssd.timeline;

import org.sediment.common.key.ItemKey;

/**
 * One row change of an applied log entry. Changes of one update apply in order; applying them
 * again leaves the same rows, which is what makes replay after a crash idempotent.
 */
public sealed interface RowChange {

    /** The timeline whose rows change. */
    long owner();

    /** Writes (or overwrites) an item. */
    record Put(ItemKey key, byte[] value) implements RowChange {
        @Override
        public long owner() {
            return key.owner();
        }
    }

    /** Removes an item; removing a missing item is not an error. */
    record Delete(ItemKey key) implements RowChange {
        @Override
        public long owner() {
            return key.owner();
        }
    }

    /**
     * Removes every item of {@code owner} with {@code ts < beforeTs}, whatever the store holds
     * then (including rows an earlier change of the same batch wrote). A range, not a key list,
     * so the state machine that emits it never reads the rows.
     */
    record DeleteOlderThan(long owner, long beforeTs) implements RowChange {
        /** Every item of the timeline: what installing a snapshot starts with. */
        public static DeleteOlderThan all(long owner) {
            return new DeleteOlderThan(owner, ItemKey.MAX_TS + 1);
        }
    }
}
