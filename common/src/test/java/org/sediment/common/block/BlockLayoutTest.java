package org.sediment.common.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sediment.common.key.ItemKey;
import org.sediment.common.partition.PartitionMap;

class BlockLayoutTest {

    private final BlockLayout layout = BlockLayout.defaults();

    @Test
    void sequentialOwnersSpreadEvenlyOverBuckets() {
        int buckets = 1024;
        BlockLayout small = new BlockLayout(buckets, 1000);
        int[] counts = new int[buckets];
        int owners = 1024 * 200;
        for (long owner = 0; owner < owners; owner++) {
            counts[small.bucketOf(owner)]++;
        }
        // Chi-square with 1023 degrees of freedom: above ~1200 would be a 1-in-10^5 event for a fair hash.
        double expected = (double) owners / buckets;
        double chiSquare = 0;
        for (int count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        assertThat(chiSquare).isLessThan(1200);
    }

    @Test
    void everyBucketHasItsOwnRingPointInsideItsArc() {
        long arc = (1L << 32) / layout.bucketCount();
        long previous = -1;
        for (int bucket = 0; bucket < layout.bucketCount(); bucket++) {
            long point = Integer.toUnsignedLong(layout.ringPoint(bucket));
            assertThat(point).isGreaterThan(previous).isBetween(bucket * arc, (bucket + 1) * arc - 1);
            previous = point;
        }
    }

    @Test
    void eachGroupGetsItsRingShareOfBucketsWithinOneBucketPerRange() {
        // A range holds floor or ceil of (its length / bucket arc) bucket points, so a group's
        // bucket count is off from its exact ring share by at most one per range it owns.
        for (int groups : new int[] {1, 3, 10, 100, 1000}) {
            PartitionMap map = PartitionMap.forGroups(groups);
            int[] buckets = new int[groups];
            for (int bucket = 0; bucket < layout.bucketCount(); bucket++) {
                buckets[layout.groupOfBucket(bucket, map)]++;
            }
            int[] ranges = new int[groups];
            for (int i = 0; i < map.rangeCount(); i++) {
                ranges[map.rangeGroup(i)]++;
            }
            long[] shares = map.shares();
            double arc = (double) (1L << 32) / layout.bucketCount();
            for (int g = 0; g < groups; g++) {
                assertThat(Math.abs(buckets[g] - shares[g] / arc))
                        .as("group %d of %d: %d buckets for a ring share of %.1f buckets in %d ranges",
                                g, groups, buckets[g], shares[g] / arc, ranges[g])
                        .isLessThanOrEqualTo(ranges[g]);
            }
        }
    }

    @Test
    void withDefaultBucketsEveryGroupHoldsExactlyItsRingShare() {
        for (int groups : new int[] {2, 7, 100, 999, 1000}) {
            PartitionMap map = PartitionMap.forGroups(groups);
            int[] buckets = new int[groups];
            for (int bucket = 0; bucket < layout.bucketCount(); bucket++) {
                buckets[layout.groupOfBucket(bucket, map)]++;
            }
            long[] shares = map.shares();
            for (int g = 0; g < groups; g++) {
                assertThat((long) buckets[g] << 16).as("group %d of %d", g, groups).isEqualTo(shares[g]);
            }
        }
    }

    @Test
    void blockIsBucketAndWindow() {
        BlockLayout daily = new BlockLayout(16, 86_400_000L);
        ItemKey key = new ItemKey(7, 86_400_000L * 3 + 5, 0);
        Block block = daily.blockOf(key);
        assertThat(block).isEqualTo(new Block(daily.bucketOf(7), 3));
        assertThat(daily.windowStartMillis(block.window())).isEqualTo(86_400_000L * 3);
        assertThat(daily.windowOf(86_400_000L * 3 - 1)).isEqualTo(2);
    }

    @Test
    void rejectsBadParametersWithExactMessages() {
        assertThatThrownBy(() -> new BlockLayout(0, 1)).hasMessage("bucket count must be in [1, 16777216], got 0");
        assertThatThrownBy(() -> new BlockLayout(8, 0)).hasMessage("window must be ≥ 1 ms, got 0");
        assertThatThrownBy(() -> layout.ringPoint(65_536)).hasMessage("bucket 65536 out of [0, 65536)");
    }
}
