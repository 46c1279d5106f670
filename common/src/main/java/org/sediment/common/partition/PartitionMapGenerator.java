package org.sediment.common.partition;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sediment.common.time.RandomSource;

/**
 * Builds the static partition map once; its output is committed as
 * {@code partition-map.bin} and never computed at run time.
 *
 * <h2>Construction</h2>
 * The ring is the 2<sup>32</sup> values of a 32-bit hash, cut only at multiples of
 * 2<sup>16</sup>: it is made of {@link #SLOTS} equal slots. Slots are the default bucket count,
 * so with default buckets a group's share of the ring is exactly its share of the buckets (and
 * so of the data), not just close to it. With one group, group 0 owns every slot. Growing from
 * {@code n-1} to {@code n} groups, the new group {@code n-1} takes {@code floor(SLOTS / n)}
 * slots from the existing groups, and nothing else moves: so for any {@code N < M} a point only
 * ever moves from an old group to a new one.
 *
 * <p>Which groups give: the largest ones. With shares sorted largest first, the generator picks
 * the smallest {@code k} such that cutting the top {@code k} groups down to one common level
 * {@code L} (which frees exactly the new group's share) leaves every share within
 * {@link #MAX_SHARE_RATIO_PERCENT}% of every other. Taking from every group at every step would
 * also balance perfectly, but would cut the ring into ~N²/2 pieces; the 2% band lets about 50
 * groups give at each step, so the table stays small (one piece per giving group).
 *
 * <p>Where a group gives from: the end (or, by coin flip, the start) of its largest interval,
 * so pieces stay as large as they can. The seed decides only these coin flips and the order of
 * equal-share groups, and is stored in the table so a regenerated table can be compared byte
 * for byte with the committed one.
 *
 * <h2>Table format</h2>
 * Big-endian: magic {@code "SPM2"}, seed (i64), max groups (i32); then for each step
 * {@code n = 2..maxGroups}: piece count (i32) and, per piece, first slot (u16) and slot count
 * (u16). Every piece lies inside one interval of its giving group at that step.
 *
 * <p>Regenerate with {@code bin/sediment partition-map --write} (or run this class's main with
 * the output path).
 */
public final class PartitionMapGenerator {

    public static final long RING_SIZE = 1L << 32;
    public static final int SLOT_BITS = 16;
    public static final int SLOTS = 1 << SLOT_BITS;
    public static final int MAX_GROUPS = 1000;
    public static final long DEFAULT_SEED = 0x5ED1_3E47_2026_1121L;
    /** Largest share ≤ 102% of the smallest, for every group count. */
    public static final int MAX_SHARE_RATIO_PERCENT = 102;
    static final int MAGIC = 0x53504D32; // "SPM2"

    private final RandomSource random;
    /** Interval start → owning group; an interval runs to the next start (or the ring's end). */
    private final TreeMap<Long, Integer> owners = new TreeMap<>();
    private final List<TreeMap<Long, Long>> intervalsByGroup = new ArrayList<>();
    private long[] shares = new long[MAX_GROUPS];

    private PartitionMapGenerator(long seed) {
        this.random = RandomSource.seeded(seed);
        owners.put(0L, 0);
        TreeMap<Long, Long> first = new TreeMap<>();
        first.put(0L, (long) SLOTS);
        intervalsByGroup.add(first);
        shares[0] = SLOTS;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: PartitionMapGenerator <output partition-map.bin>");
            System.exit(2);
        }
        byte[] table = generate(DEFAULT_SEED, MAX_GROUPS);
        Files.write(Path.of(args[0]), table);
        System.out.println("wrote " + table.length + " bytes to " + args[0]);
    }

    /** The table for {@code maxGroups} groups, deterministic in {@code seed}. */
    public static byte[] generate(long seed, int maxGroups) {
        if (maxGroups < 1 || maxGroups > MAX_GROUPS) {
            throw new IllegalArgumentException("maxGroups must be in [1, " + MAX_GROUPS + "], got " + maxGroups);
        }
        PartitionMapGenerator generator = new PartitionMapGenerator(seed);
        TableWriter out = new TableWriter();
        out.writeInt(MAGIC);
        out.writeLong(seed);
        out.writeInt(maxGroups);
        for (int n = 2; n <= maxGroups; n++) {
            List<long[]> pieces = generator.addGroup(n);
            out.writeInt(pieces.size());
            for (long[] piece : pieces) {
                out.writeShort((int) piece[0]);
                out.writeShort((int) piece[1]);
            }
        }
        return out.toByteArray();
    }

    /** Grows from {@code n-1} to {@code n} groups; returns the pieces (first slot, slot count) taken. */
    private List<long[]> addGroup(int n) {
        int newGroup = n - 1;
        long target = SLOTS / n;
        intervalsByGroup.add(new TreeMap<>());
        Integer[] order = largestFirst(n - 1);
        long[] gifts = chooseGifts(order, target);
        List<long[]> pieces = new ArrayList<>();
        for (int i = 0; i < gifts.length; i++) {
            int donor = order[i];
            long amount = gifts[i];
            while (amount > 0) {
                long[] piece = cutFrom(donor, amount);
                assign(piece[0], piece[1], donor, newGroup);
                pieces.add(piece);
                amount -= piece[1];
            }
        }
        shares[newGroup] = target;
        return pieces;
    }

    /** Groups 0..count-1, largest share first; equal shares in seeded random order. */
    private Integer[] largestFirst(int count) {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        Arrays.sort(order, Comparator.comparingLong((Integer g) -> shares[g]).reversed());
        return order;
    }

    /**
     * How much each of the largest groups gives: the fewest givers whose common level keeps the
     * band within the bound. Giving from every group always satisfies it, so this terminates.
     */
    private long[] chooseGifts(Integer[] order, long target) {
        long prefix = 0;
        for (int k = 1; k <= order.length; k++) {
            prefix += shares[order[k - 1]];
            long level = (prefix - target) / k;
            if (level > shares[order[k - 1]]) {
                continue; // the k-th group would have to receive, not give
            }
            long largestKept = k < order.length ? shares[order[k]] : 0;
            long smallestKept = k < order.length ? shares[order[order.length - 1]] : Long.MAX_VALUE;
            long max = Math.max(Math.max(target, largestKept), level + 1);
            long min = Math.min(Math.min(target, smallestKept), level);
            if (max * 100 <= min * MAX_SHARE_RATIO_PERCENT || k == order.length) {
                long[] gifts = new long[k];
                long surplus = prefix - (long) k * level - target;
                for (int i = 0; i < k; i++) {
                    gifts[i] = shares[order[i]] - level - (i < surplus ? 1 : 0);
                    assert gifts[i] >= 0 : "a giving group cannot receive";
                    shares[order[i]] -= gifts[i];
                }
                return gifts;
            }
        }
        throw new AssertionError("giving from every group must satisfy the bound");
    }

    /** A piece of at most {@code amount} from the donor's largest interval, at its end or start. */
    private long[] cutFrom(int donor, long amount) {
        TreeMap<Long, Long> intervals = intervalsByGroup.get(donor);
        Map.Entry<Long, Long> largest = null;
        for (Map.Entry<Long, Long> e : intervals.entrySet()) {
            if (largest == null || e.getValue() > largest.getValue()) {
                largest = e;
            }
        }
        long start = largest.getKey();
        long length = largest.getValue();
        long take = Math.min(amount, length);
        boolean fromEnd = random.nextInt(2) == 0;
        return new long[] {fromEnd ? start + length - take : start, take};
    }

    private void assign(long pieceStart, long pieceLength, int donor, int newGroup) {
        TreeMap<Long, Long> donorIntervals = intervalsByGroup.get(donor);
        Map.Entry<Long, Long> host = donorIntervals.floorEntry(pieceStart);
        long hostStart = host.getKey();
        long hostEnd = hostStart + host.getValue();
        long pieceEnd = pieceStart + pieceLength;
        assert pieceEnd <= hostEnd && owners.get(hostStart) == donor;
        donorIntervals.remove(hostStart);
        if (pieceStart > hostStart) {
            donorIntervals.put(hostStart, pieceStart - hostStart);
        }
        if (pieceEnd < hostEnd) {
            donorIntervals.put(pieceEnd, hostEnd - pieceEnd);
            owners.put(pieceEnd, donor);
        }
        owners.put(pieceStart, newGroup);
        intervalsByGroup.get(newGroup).put(pieceStart, pieceLength);
    }

    private static final class TableWriter {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void writeShort(int v) {
            bytes.write(v >>> 8);
            bytes.write(v);
        }

        void writeInt(int v) {
            bytes.write(v >>> 24);
            bytes.write(v >>> 16);
            bytes.write(v >>> 8);
            bytes.write(v);
        }

        void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
