package org.sediment.router.client;

/** Names one item for a batch get. */
public record ItemRef(long owner, long ts, int seq) {
}
