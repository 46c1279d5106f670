package org.sediment.common.block;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiskLayoutTest {

    @Test
    void bucketsAreDealtEvenlyAndTheSameWayOnEveryNode() {
        DiskLayout layout = new DiskLayout(65_536, 7);
        DiskLayout again = new DiskLayout(65_536, 7);
        int[] perDisk = new int[7];
        for (int bucket = 0; bucket < 65_536; bucket++) {
            Block block = new Block(bucket, 100);
            int disk = layout.diskOf(block);
            assertThat(again.diskOf(block)).isEqualTo(disk);
            perDisk[disk]++;
        }
        int min = java.util.Arrays.stream(perDisk).min().orElseThrow();
        int max = java.util.Arrays.stream(perDisk).max().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
        assertThat(layout.diskOf(new Block(5, 1))).as("neighbouring buckets spread").isNotEqualTo(layout.diskOf(new Block(6, 1)))
                .isBetween(0, 6);
        assertThat(layout.fileOf(new Block(5, 1234))).isEqualTo(1234);
        assertThat(DiskLayout.fileName(1234)).isEqualTo("w1234.blocks");
    }
}
