package org.sediment.common.api.ssd;

/** What a {@link WriteRequest} does to its timeline. */
public enum WriteKind {
    /** Adds an item at {@code ts}; the SSD tier assigns its seq and returns it in the reply. */
    APPEND,
    /** Creates or replaces the item {@code (ts, seq)}. */
    PUT,
    /** Removes the item {@code (ts, seq)}; removing an absent item succeeds and still takes a version. */
    DELETE
}
