package org.sediment.ssd.storage;

import org.sediment.common.key.ItemKey;

/** One row change of an applied log entry. */
public sealed interface RowChange {

    ItemKey key();

    /** Writes (or overwrites) an item. */
    record Put(ItemKey key, byte[] value) implements RowChange {
    }

    /** Removes an item; removing a missing item is not an error (replays must be idempotent). */
    record Delete(ItemKey key) implements RowChange {
    }
}
