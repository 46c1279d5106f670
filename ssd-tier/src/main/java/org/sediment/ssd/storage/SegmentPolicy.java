package org.sediment.ssd.storage;

import org.iq80.leveldb.CompressionType;

/**
 * How items are split into time segments (one LevelDB each) and how hot and older segments are
 * tuned. Hot segments take nearly all reads of recent items: small blocks so a point read
 * decodes little, no compression. Older segments are read rarely and in whole pages: large
 * blocks and snappy.
 *
 * @param segmentMillis   length of one segment's time window (e.g. one week)
 * @param hotSegments     how many of the newest windows count as hot
 * @param hotBlockBytes   LevelDB block size of hot segments
 * @param coldBlockBytes  LevelDB block size of older segments
 * @param hotCompression  compression of hot segments
 * @param coldCompression compression of older segments
 * @param writeBufferBytes memtable size per segment
 * @param blockCacheBytes block cache per segment
 * @param separateValuesFromBytes hot segments keep values of this size or more in a value log
 *                        beside their LevelDB, so compaction moves a pointer, not the value
 *                        ({@link ValueLog})
 * @param maxOpenSegments item segments open at once, at most; the least recently used one
 *                        closes when another must open, and reopens when it is next read or
 *                        written ({@link OpenSegments}). At least {@code hotSegments + 4}.
 */
public record SegmentPolicy(
        long segmentMillis,
        int hotSegments,
        int hotBlockBytes,
        int coldBlockBytes,
        CompressionType hotCompression,
        CompressionType coldCompression,
        int writeBufferBytes,
        long blockCacheBytes,
        int separateValuesFromBytes,
        int maxOpenSegments) {

    /** How much larger each replica's memtables are than the previous replica's ({@link #staggeredFor}). */
    static final int STAGGER_PERCENT = 30;
    private static final int MIN_WRITE_BUFFER_BYTES = 64 * 1024;
    private static final int MAX_WRITE_BUFFER_BYTES = 1 << 30;
    /** The {@code meta} LevelDB's memtable is this fraction of the items' ({@link #metaWriteBufferBytes}). */
    static final int META_WRITE_BUFFER_DIVISOR = 8;
    /**
     * Open segments beyond the hot ones, at least: the hot segments never close to make room, so
     * these are what readers and the writer take turns on ({@link OpenSegments}).
     */
    static final int MIN_CLOSABLE_OPEN_SEGMENTS = 4;
    /** Every open segment holds threads, descriptors and memory; beyond this, a bound is no bound. */
    static final int MAX_OPEN_SEGMENTS = 4096;

    public SegmentPolicy {
        require(segmentMillis >= 60_000, "segmentMillis must be ≥ 60000, got " + segmentMillis);
        require(hotSegments >= 1, "hotSegments must be ≥ 1, got " + hotSegments);
        require(hotBlockBytes >= 1024 && hotBlockBytes <= 1 << 20, "hotBlockBytes must be in [1 KiB, 1 MiB], got " + hotBlockBytes);
        require(coldBlockBytes >= 1024 && coldBlockBytes <= 1 << 20, "coldBlockBytes must be in [1 KiB, 1 MiB], got " + coldBlockBytes);
        require(writeBufferBytes >= MIN_WRITE_BUFFER_BYTES && writeBufferBytes <= MAX_WRITE_BUFFER_BYTES,
                "writeBufferBytes must be in [64 KiB, 1 GiB], got " + writeBufferBytes);
        require(blockCacheBytes >= 0, "blockCacheBytes must be ≥ 0, got " + blockCacheBytes);
        // Below a pointer's size, keeping a value inline is never larger.
        require(separateValuesFromBytes >= 16, "separateValuesFromBytes must be ≥ 16, got " + separateValuesFromBytes);
        require(maxOpenSegments >= hotSegments + MIN_CLOSABLE_OPEN_SEGMENTS && maxOpenSegments <= MAX_OPEN_SEGMENTS,
                "maxOpenSegments must be in [hotSegments + " + MIN_CLOSABLE_OPEN_SEGMENTS + " = "
                        + (hotSegments + MIN_CLOSABLE_OPEN_SEGMENTS) + ", " + MAX_OPEN_SEGMENTS + "], got " + maxOpenSegments);
    }

    /**
     * One-week segments; the newest two are hot; values of 128 B or more go to the value log;
     * 128 KiB memtables. A memtable entry is about 200 bytes of Java objects (skip-list node,
     * internal key, two slices, key and pointer arrays) for some 40 bytes LevelDB counts, and
     * every entry still in a memtable at a young collection is copied by it. An 8 MiB memtable
     * kept about 200,000 entries alive per node for some 20 s, copied to a survivor space and then
     * again into the old generation; at 1 MiB young pauses fell from 70-127 ms to 30-60 ms and
     * appends rose from about 7,500 to 10,000-11,000/s. At 256 KiB a memtable fills in well under
     * a second, so a collection finds a quarter as many entries: in three alternating pairs of
     * load runs the median young pause fell from 28-33 ms to 19-20 ms and the longest from 41-55
     * ms to 23-24 ms, with appends/s within the runs' noise (BENCHMARKS.md). At 128 KiB, in two
     * more alternating pairs, the median pause fell again (12.6-14.3 ms against 15.5-17.3) and
     * appends/s rose by 17-20%; 64 KiB paused no shorter than 128 KiB. LevelDB flushes more
     * often, but the tables hold keys and pointers only, so compaction stays cheap.
     *
     * <p>At most 32 segments are open at once (32 weeks of items, the newest two always among
     * them). An open segment holds descriptors for LevelDB's log, manifest, lock and every table
     * (kept open on purpose, see {@link EagerTables}) and its value log, a compaction thread, a
     * memtable and a block cache: before the bound, writes spread over 560 weeks held 6,558
     * descriptors and 3.3 GB resident. A use of a closed segment reopens it, a few milliseconds
     * more for that read or write (STORAGE.md, "Open segments").
     */
    public static SegmentPolicy weekly() {
        return new SegmentPolicy(7L * 24 * 3600 * 1000, 2, 4 * 1024, 64 * 1024,
                CompressionType.NONE, CompressionType.SNAPPY, 128 << 10, 16L << 20, 128, 32);
    }

    /** This policy with at most {@code max} item segments open at once. */
    public SegmentPolicy withMaxOpenSegments(int max) {
        return new SegmentPolicy(segmentMillis, hotSegments, hotBlockBytes, coldBlockBytes, hotCompression,
                coldCompression, writeBufferBytes, blockCacheBytes, separateValuesFromBytes, max);
    }

    /**
     * This policy for the replica at {@code replicaIndex} of its group: memtables 30% larger for
     * each step of the index. Replicas of a group take the same writes, so with equal memtables
     * they flush, and then compact, at the same moments: a compaction takes a core for a second
     * or more, and it slowed every replica at once, the majority with them. Staggered, the
     * replicas compact at different times, and while one does, the other two still make a
     * majority at full speed.
     */
    public SegmentPolicy staggeredFor(int replicaIndex) {
        if (replicaIndex < 0) {
            throw new IllegalArgumentException("replicaIndex must be ≥ 0, got " + replicaIndex);
        }
        long bytes = writeBufferBytes + (long) writeBufferBytes * STAGGER_PERCENT * replicaIndex / 100;
        return new SegmentPolicy(segmentMillis, hotSegments, hotBlockBytes, coldBlockBytes, hotCompression,
                coldCompression, (int) Math.min(bytes, MAX_WRITE_BUFFER_BYTES), blockCacheBytes, separateValuesFromBytes,
                maxOpenSegments);
    }

    /**
     * Memtable size of the {@code meta} LevelDB, which holds one small row per timeline: an eighth
     * of the items', and at least 64 KiB (so 64 KiB with the items' 128 KiB). Every checkpoint
     * rewrites the row of each timeline touched since the last one, some 6,000 rows a second per
     * node in the load test, of about 30 bytes each as LevelDB counts them, so a 1 MiB memtable
     * kept about 35,000 of them alive for some 6 s, and young collections copied them three or
     * four times. At 128 KiB a row was flushed within a second and seldom alive at a collection:
     * in the load test, a young collection copied 23-25 MB instead of 34-43 MB, and paused 22-28
     * ms instead of 34-40 ms (medians per run; BENCHMARKS.md). The price is more flushes and
     * level-0 compactions of {@code meta}, which cost little while it is small; a node with
     * millions of timelines rewrites a larger {@code meta} level 1 more often.
     */
    public int metaWriteBufferBytes() {
        return Math.max(MIN_WRITE_BUFFER_BYTES, writeBufferBytes / META_WRITE_BUFFER_DIVISOR);
    }

    public long segmentOf(long ts) {
        return Math.floorDiv(ts, segmentMillis);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
