package org.sediment.router.client;

/**
 * A write that took effect: where the item is ({@code ts}, {@code seq}; for a delete, the item
 * removed) and the timeline's version after it.
 */
public record Written(long ts, int seq, long version) {
}
