package org.sediment.common.block;

import org.sediment.common.time.RandomSource;

/**
 * Where a block lies on the nodes of an HDD group: which disk (a table from bucket to disk,
 * precomputed and deterministic, so every node and every sinker computes the same) and which
 * file on it (one file per time window). Buckets are dealt to disks evenly: any two disks hold
 * a bucket count that differs by at most one, so they fill and wear alike.
 */
public final class DiskLayout {
    /** The table's seed: part of the layout, like the format of the files. */
    private static final long SEED = 0x5EDD_15C5L;

    private final int disks;
    private final short[] diskOfBucket;

    /**
     * @param buckets the route config's bucket count
     * @param disks   the disk directories of each node of the group
     */
    public DiskLayout(int buckets, int disks) {
        if (buckets < 1 || disks < 1 || disks > Short.MAX_VALUE) {
            throw new IllegalArgumentException("need ≥ 1 bucket and 1..32767 disks, got " + buckets + " and " + disks);
        }
        this.disks = disks;
        int[] order = new int[buckets];
        for (int i = 0; i < buckets; i++) {
            order[i] = i;
        }
        RandomSource random = RandomSource.seeded(SEED);
        for (int i = buckets - 1; i > 0; i--) { // a seeded shuffle, then round robin over the disks
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        this.diskOfBucket = new short[buckets];
        for (int i = 0; i < buckets; i++) {
            diskOfBucket[order[i]] = (short) (i % disks);
        }
    }

    public int disks() {
        return disks;
    }

    public int diskOf(Block block) {
        if (block.bucket() >= diskOfBucket.length) {
            throw new IllegalArgumentException(block + " is past the layout's " + diskOfBucket.length + " buckets");
        }
        return diskOfBucket[block.bucket()];
    }

    /** The file of {@code block} on its disk: the file of its window. */
    public long fileOf(Block block) {
        return block.window();
    }

    /** The name of file {@code file} in a disk directory. */
    public static String fileName(long file) {
        return "w" + file + ".blocks";
    }
}
