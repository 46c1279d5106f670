package org.sediment.common.block;

/**
 * The minimum invariant block: one bucket's items within one time window. Cold data is sunk,
 * linked and migrated per block, never per key, so a block's links move together and cold
 * files never move.
 *
 * @param bucket bucket number in [0, bucket count)
 * @param window time window number: {@code floorDiv(ts, windowMillis)}
 */
public record Block(int bucket, long window) implements Comparable<Block> {

    public Block {
        if (bucket < 0) {
            throw new IllegalArgumentException("bucket must be ≥ 0, got " + bucket);
        }
    }

    @Override
    public int compareTo(Block other) {
        int c = Integer.compare(bucket, other.bucket);
        return c != 0 ? c : Long.compare(window, other.window);
    }

    @Override
    public String toString() {
        return "block(" + bucket + "@" + window + ")";
    }
}
