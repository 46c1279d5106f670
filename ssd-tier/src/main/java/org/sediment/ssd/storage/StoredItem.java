package org.sediment.ssd.storage;

import org.sediment.common.key.ItemKey;

/** An item as read back from a segment. */
public record StoredItem(ItemKey key, byte[] value) {
}
