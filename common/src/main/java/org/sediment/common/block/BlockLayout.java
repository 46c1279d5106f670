package org.sediment.common.block;

import org.sediment.common.key.ItemKey;
import org.sediment.common.partition.PartitionMap;

/**
 * Two-stage hashing: {@code owner → bucket} with a fixed bucket count, then
 * {@code bucket → group} through the {@link PartitionMap}. The bucket count is chosen when a
 * cluster is created and never changes; growing a tier changes only the group count, so a
 * bucket (and every block in it) moves whole.
 *
 * @param bucketCount  buckets in the cluster, in [1, {@link #MAX_BUCKETS}]
 * @param windowMillis length of one block's time window
 */
public record BlockLayout(int bucketCount, long windowMillis) {

    public static final int DEFAULT_BUCKETS = 65_536;
    public static final long DEFAULT_WINDOW_MILLIS = 7L * 24 * 3600 * 1000;
    /** Keeps {@link #ringPoint} exact in 64-bit arithmetic. */
    public static final int MAX_BUCKETS = 1 << 24;

    public BlockLayout {
        if (bucketCount < 1 || bucketCount > MAX_BUCKETS) {
            throw new IllegalArgumentException(
                    "bucket count must be in [1, " + MAX_BUCKETS + "], got " + bucketCount);
        }
        if (windowMillis < 1) {
            throw new IllegalArgumentException("window must be ≥ 1 ms, got " + windowMillis);
        }
    }

    public static BlockLayout defaults() {
        return new BlockLayout(DEFAULT_BUCKETS, DEFAULT_WINDOW_MILLIS);
    }

    /** The bucket of an owner: a well-mixed hash, so sequential owner ids spread evenly. */
    public int bucketOf(long owner) {
        return (int) Long.remainderUnsigned(mix(owner), bucketCount);
    }

    /**
     * A bucket's point on the partition ring: the middle of its equal arc, so every bucket
     * lands on the ring once and buckets split between groups as the ring does.
     */
    public int ringPoint(int bucket) {
        if (bucket < 0 || bucket >= bucketCount) {
            throw new IllegalArgumentException("bucket " + bucket + " out of [0, " + bucketCount + ")");
        }
        return (int) (((2L * bucket + 1) << 32) / (2L * bucketCount));
    }

    public int groupOfBucket(int bucket, PartitionMap map) {
        return map.groupOf(ringPoint(bucket));
    }

    public int groupOf(long owner, PartitionMap map) {
        return groupOfBucket(bucketOf(owner), map);
    }

    public long windowOf(long ts) {
        return Math.floorDiv(ts, windowMillis);
    }

    public Block blockOf(ItemKey key) {
        return new Block(bucketOf(key.owner()), windowOf(key.ts()));
    }

    /** First millisecond of a window. */
    public long windowStartMillis(long window) {
        return window * windowMillis;
    }

    /** The SplitMix64 finaliser: every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
