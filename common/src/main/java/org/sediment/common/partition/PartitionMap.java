package org.sediment.common.partition;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The static partition map all three tiers share: ring point → group, for a given group count.
 *
 * <p>The ring is the 2<sup>32</sup> values of a 32-bit hash, cut only at multiples of
 * 2<sup>16</sup> (so with the default 65536 buckets, ring shares are bucket shares). The committed table
 * ({@code partition-map.bin}, made by {@link PartitionMapGenerator}) records, for each growth
 * step {@code n-1 → n}, which ring pieces the new group takes. {@link #forGroups(int)} replays
 * the steps once and flattens the result into sorted cut points, so a lookup is one binary
 * search. Guarantees, checked for every group count by the tests: every group's share is within
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

    private PartitionMap(int groupCount, int[] cuts, short[] groups) {
        this.groupCount = groupCount;
        this.cuts = cuts;
        this.groups = groups;
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
        // Flipping the sign bit makes signed int order equal unsigned order.
        int key = ringPoint ^ Integer.MIN_VALUE;
        int lo = 0;
        int hi = cuts.length - 1;
        while (lo < hi) { // the last cut ≤ point
            int mid = (lo + hi + 1) >>> 1;
            if ((cuts[mid] ^ Integer.MIN_VALUE) <= key) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return groups[lo];
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

    /** The committed growth steps, as read from the resource. */
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
                    starts[n][i] = in.readUnsignedShort() << PartitionMapGenerator.SLOT_BITS;
                    lengths[n][i] = in.readUnsignedShort() << PartitionMapGenerator.SLOT_BITS;
                }
            }
            return new GrowthTable(maxGroups, starts, lengths);
        }

        PartitionMap replay(int groupCount) {
            TreeMap<Long, Integer> owners = new TreeMap<>();
            owners.put(0L, 0);
            for (int n = 2; n <= groupCount; n++) {
                for (int i = 0; i < pieceStarts[n].length; i++) {
                    long start = Integer.toUnsignedLong(pieceStarts[n][i]);
                    long end = start + Integer.toUnsignedLong(pieceLengths[n][i]);
                    Map.Entry<Long, Integer> host = owners.floorEntry(start);
                    Long hostEnd = owners.higherKey(start);
                    if (hostEnd == null) {
                        hostEnd = PartitionMapGenerator.RING_SIZE;
                    }
                    if (end > hostEnd) {
                        throw new IllegalStateException("partition table step " + n + " piece " + i
                                + " crosses a range boundary: the table is corrupt");
                    }
                    if (end < hostEnd) {
                        owners.put(end, host.getValue());
                    }
                    owners.put(start, n - 1);
                }
            }
            return flatten(groupCount, owners);
        }

        private static PartitionMap flatten(int groupCount, TreeMap<Long, Integer> owners) {
            int[] cuts = new int[owners.size()];
            short[] groups = new short[owners.size()];
            int size = 0;
            for (Map.Entry<Long, Integer> e : owners.entrySet()) {
                if (size > 0 && groups[size - 1] == e.getValue()) {
                    continue; // adjacent ranges of one group: one range
                }
                cuts[size] = (int) (long) e.getKey();
                groups[size] = (short) (int) e.getValue();
                size++;
            }
            return new PartitionMap(groupCount, Arrays.copyOf(cuts, size),
                    Arrays.copyOf(groups, size));
        }
    }
}
