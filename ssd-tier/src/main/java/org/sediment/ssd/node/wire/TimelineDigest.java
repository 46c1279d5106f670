package org.sediment.ssd.node.wire;

/**
 * One replica's digest of one timeline at {@code version}: a hash of every row (key and value)
 * and every cold link it holds. Two replicas at the same version must agree on it.
 */
public record TimelineDigest(long timeline, long version, long digest) {
    static final int BYTES = 24;
}
