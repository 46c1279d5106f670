package org.sediment.common.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.sediment.common.time.RandomSource;

/** The partition map's promises, checked for every group count the table supports. */
class PartitionMapTest {

    private static final long RING = PartitionMapGenerator.RING_SIZE;
    private static final long SLOT = RING / PartitionMapGenerator.SLOTS;

    @Test
    void tableSupportsOneThousandGroups() {
        assertThat(PartitionMap.maxGroups()).isEqualTo(1000);
    }

    @Test
    void everyGroupCountSplitsTheRingWithinTwoPercent() {
        for (int n = 1; n <= PartitionMap.maxGroups(); n++) {
            PartitionMap map = PartitionMap.forGroups(n);
            long[] shares = map.shares();
            long min = Long.MAX_VALUE;
            long max = 0;
            long total = 0;
            for (long share : shares) {
                min = Math.min(min, share);
                max = Math.max(max, share);
                total += share;
            }
            assertThat(total).as("ring covered exactly, n=%d", n).isEqualTo(RING);
            for (int i = 0; i < map.rangeCount(); i++) {
                if (map.rangeStart(i) % SLOT != 0) {
                    throw new AssertionError("range " + i + " of n=" + n + " starts off a slot boundary: " + map.rangeStart(i));
                }
            }
            assertThat(min).as("every group owns part of the ring, n=%d", n).isPositive();
            assertThat(max * 100).as("largest share ≤ 1.02 × smallest, n=%d (max %d, min %d)", n, max, min)
                    .isLessThanOrEqualTo(min * 102);
        }
    }

    @Test
    void growingByOneMovesPointsOnlyToTheNewGroup() {
        PartitionMap before = PartitionMap.forGroups(1);
        for (int n = 2; n <= PartitionMap.maxGroups(); n++) {
            PartitionMap after = PartitionMap.forGroups(n);
            assertOnlyNewGroupsGain(before, after);
            before = after;
        }
    }

    @Test
    void growingByManyMovesPointsOnlyToNewGroups() {
        RandomSource random = RandomSource.seeded(20261121L);
        for (int trial = 0; trial < 40; trial++) {
            int from = 1 + random.nextInt(999);
            int to = from + 1 + random.nextInt(1000 - from);
            assertOnlyNewGroupsGain(PartitionMap.forGroups(from), PartitionMap.forGroups(to));
        }
    }

    @Test
    void lookupAgreesWithTheRangesAtEveryBoundary() {
        for (int n : new int[] {1, 2, 3, 7, 64, 333, 1000}) {
            PartitionMap map = PartitionMap.forGroups(n);
            for (int i = 0; i < map.rangeCount(); i++) {
                long start = map.rangeStart(i);
                long last = map.rangeEnd(i) - 1;
                assertThat(map.groupOf((int) start)).isEqualTo(map.rangeGroup(i));
                assertThat(map.groupOf((int) last)).isEqualTo(map.rangeGroup(i));
                assertThat(map.groupOf((int) ((start + last) / 2))).isEqualTo(map.rangeGroup(i));
            }
            assertThat(map.groupOf(0)).isEqualTo(map.rangeGroup(0));
            assertThat(map.groupOf(-1)).isEqualTo(map.rangeGroup(map.rangeCount() - 1));
        }
    }

    @Test
    void committedTableIsTheGeneratorsOutput() throws IOException {
        byte[] committed;
        try (InputStream in = PartitionMap.class.getResourceAsStream("partition-map.bin")) {
            committed = in.readAllBytes();
        }
        byte[] regenerated = PartitionMapGenerator.generate(PartitionMapGenerator.DEFAULT_SEED, 1000);
        assertThat(regenerated).as("regenerate with bin/sediment partition-map --write").isEqualTo(committed);
    }

    @Test
    void generatorIsDeterministicInItsSeed() {
        assertThat(PartitionMapGenerator.generate(7, 200)).isEqualTo(PartitionMapGenerator.generate(7, 200));
        assertThat(PartitionMapGenerator.generate(7, 200)).isNotEqualTo(PartitionMapGenerator.generate(8, 200));
    }

    @Test
    void groupCountOutOfRangeIsRejectedWithTheRange() {
        assertThatThrownBy(() -> PartitionMap.forGroups(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group count must be in [1, 1000], got 0");
        assertThatThrownBy(() -> PartitionMap.forGroups(1001))
                .hasMessage("group count must be in [1, 1000], got 1001");
    }

    /** Walks both maps' ranges together: where owners differ, the new owner must be a new group. */
    private static void assertOnlyNewGroupsGain(PartitionMap before, PartitionMap after) {
        int i = 0;
        int j = 0;
        long point = 0;
        while (point < RING) {
            int oldOwner = before.rangeGroup(i);
            int newOwner = after.rangeGroup(j);
            if (newOwner != oldOwner) {
                assertThat(newOwner)
                        .as("point %d moved from group %d to group %d growing %d -> %d groups",
                                point, oldOwner, newOwner, before.groupCount(), after.groupCount())
                        .isGreaterThanOrEqualTo(before.groupCount());
            }
            long next = Math.min(before.rangeEnd(i), after.rangeEnd(j));
            if (before.rangeEnd(i) == next) {
                i++;
            }
            if (after.rangeEnd(j) == next) {
                j++;
            }
            point = next;
        }
    }
}
