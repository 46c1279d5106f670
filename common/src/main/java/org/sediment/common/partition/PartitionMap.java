package org.sediment.common.partition;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The static partition map all three tiers share: ring point → group, for a given group count.
 *
 * <p>The ring is the 2<sup>32</sup> values of a 32-bit hash, cut only at multiples of
 * 2<sup>16</sup> (so with the default 65536 buckets, ring shares are bucket shares). The committed table
 * ({@code partition-map.bin}, made by {@link PartitionMapGenerator}) records, for each growth
 * step {@code n-1 → n}, which ring pieces the new group takes. {@link #forGroups(int)} replays
 * the steps once. Because every cut point is slot-aligned, the binary search over cut points
 * that a ring map needs collapses into one array index: {@code slotGroups[point >>> 16]}
 * (128 KiB per map). The sorted cut points are kept for inspection and tests. Guarantees, checked for every group count by the tests: every group's share is within
 * 2% of every other's, and growing the count moves a point only from an old group to a new one.
 *
 * <p>Immutable and thread-safe.
 */
public final class PartitionMap {

    private static final String TABLE = "partition-map.bin";
    private static volatile GrowthTable growthTable;

    private final int groupCount;
    /** Cut points as unsigned 32-bit values in ascending order; {@code cuts[0] == 0}. */
    private final int[] cuts;
    /** {@code groups[i]} owns ring points {@code [cuts[i], cuts[i+1])}. */
    private final short[] groups;
    /** The owner of each slot: the lookup table. */
    private final short[] slotGroups;

    private PartitionMap(int groupCount, int[] cuts, short[] groups, short[] slotGroups) {
        this.groupCount = groupCount;
        this.cuts = cuts;
        this.groups = groups;
        this.slotGroups = slotGroups;
    }

    /**
     * The map for {@code groupCount} groups (1..{@link #maxGroups()}). Replaying the table takes
     * milliseconds; callers keep the map they use (a route config holds one per tier).
     */
    public static PartitionMap forGroups(int groupCount) {
        if (groupCount < 1 || groupCount > maxGroups()) {
            throw new IllegalArgumentException(
                    "group count must be in [1, " + maxGroups() + "], got " + groupCount);
        }
        return growthTable().replay(groupCount);
    }

    /** The largest group count the committed table supports. */
    public static int maxGroups() {
        return growthTable().maxGroups;
    }

    public int groupCount() {
        return groupCount;
    }

    /** The group owning a ring point (a 32-bit hash, read as unsigned). */
    public int groupOf(int ringPoint) {
        return slotGroups[ringPoint >>> PartitionMapGenerator.SLOT_BITS];
    }

    /** Number of contiguous ring ranges: the size of the lookup table. */
    public int rangeCount() {
        return cuts.length;
    }

    /** Start of range {@code i} as an unsigned ring point. */
    public long rangeStart(int i) {
        return Integer.toUnsignedLong(cuts[i]);
    }

    /** End (exclusive) of range {@code i}: the next start, or the ring size. */
    public long rangeEnd(int i) {
        return i + 1 < cuts.length ? Integer.toUnsignedLong(cuts[i + 1]) : PartitionMapGenerator.RING_SIZE;
    }

    public int rangeGroup(int i) {
        return groups[i];
    }

    /** Ring points owned by each group, indexed by group. */
    public long[] shares() {
        long[] shares = new long[groupCount];
        for (int i = 0; i < cuts.length; i++) {
            shares[groups[i]] += rangeEnd(i) - rangeStart(i);
        }
        return shares;
    }

    private static GrowthTable growthTable() {
        GrowthTable table = growthTable;
        if (table == null) {
            synchronized (PartitionMap.class) {
                if (growthTable == null) {
                    growthTable = GrowthTable.load();
                }
                table = growthTable;
            }
        }
        return table;
    }

    /** The committed growth steps, as read from the resource: pieces in slots. */
    private record GrowthTable(int maxGroups, int[][] pieceStarts, int[][] pieceLengths) {

        static GrowthTable load() {
            try (InputStream raw = PartitionMap.class.getResourceAsStream(TABLE)) {
                if (raw == null) {
                    throw new IllegalStateException("partition table " + TABLE + " is missing from the classpath");
                }
                return parse(new DataInputStream(raw));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read partition table " + TABLE, e);
            }
        }

        static GrowthTable parse(DataInputStream in) throws IOException {
            if (in.readInt() != PartitionMapGenerator.MAGIC) {
                throw new IllegalStateException("partition table " + TABLE + " has a wrong magic number");
            }
            in.readLong(); // the seed: only the generator's byte-for-byte check needs it
            int maxGroups = in.readInt();
            int[][] starts = new int[maxGroups + 1][];
            int[][] lengths = new int[maxGroups + 1][];
            for (int n = 2; n <= maxGroups; n++) {
                int count = in.readInt();
                starts[n] = new int[count];
                lengths[n] = new int[count];
                for (int i = 0; i < count; i++) {
                    starts[n][i] = in.readUnsignedShort();
                    lengths[n][i] = in.readUnsignedShort();
                    if (starts[n][i] + lengths[n][i] > PartitionMapGenerator.SLOTS) {
                        throw new IllegalStateException("partition table step " + n + " piece " + i
                                + " runs past the end of the ring: the table is corrupt");
                    }
                }
            }
            return new GrowthTable(maxGroups, starts, lengths);
        }

        PartitionMap replay(int groupCount) {
            short[] slotOwner = new short[PartitionMapGenerator.SLOTS];
            for (int n = 2; n <= groupCount; n++) {
                for (int i = 0; i < pieceStarts[n].length; i++) {
                    int first = pieceStarts[n][i];
                    int end = first + pieceLengths[n][i];
                    for (int slot = first + 1; slot < end; slot++) {
                        if (slotOwner[slot] != slotOwner[first]) {
                            throw new IllegalStateException("partition table step " + n + " piece " + i
                                    + " spans two groups: the table is corrupt");
                        }
                    }
                    Arrays.fill(slotOwner, first, end, (short) (n - 1));
                }
            }
            return flatten(groupCount, slotOwner);
        }

        /** Runs of slots with one owner become one range. */
        private static PartitionMap flatten(int groupCount, short[] slotOwner) {
            int[] cuts = new int[slotOwner.length];
            short[] groups = new short[slotOwner.length];
            int size = 0;
            for (int slot = 0; slot < slotOwner.length; slot++) {
                if (size == 0 || groups[size - 1] != slotOwner[slot]) {
                    cuts[size] = slot << PartitionMapGenerator.SLOT_BITS;
                    groups[size] = slotOwner[slot];
                    size++;
                }
            }
            return new PartitionMap(groupCount, Arrays.copyOf(cuts, size), Arrays.copyOf(groups, size), slotOwner);
        }
    }
}
