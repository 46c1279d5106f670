package org.sediment.ssd.version;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import net.openhft.chronicle.bytes.MappedBytes;

/**
 * Timeline → version, in fixed-size records in a memory-mapped file (Chronicle Bytes), so the
 * SSD tier answers the memory tier's version checks from memory and keeps them across a restart.
 *
 * <h2>Layout: a 2-D array</h2>
 * One dimension is hash chains: a timeline hashes to one of {@code rows} rows. The other is LRU
 * order: a row holds up to {@link #WAYS} records, most recently used first. Millions of such tiny
 * LRU chains together behave as one LRU, with no pointers, no allocation per access, and each
 * row exactly two cache lines (16-byte row header + 7 × 16-byte records).
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>One process owns the file at a time; threads in it may call everything concurrently.
 *       Each row is guarded by one of {@link #LOCK_STRIPES} striped monitors (preallocated, so
 *       no allocation per access).
 *   <li>{@link #put} never lowers a cached version: versions only grow, so a slow read-through
 *       fill can never overwrite a newer version that an apply put there first.
 *   <li>A cached version is never newer than the store, and never older than what the store
 *       had when the entry was last put. To keep this across a crash, the apply path does
 *       {@link #invalidate} → durable apply → {@link #put}; a process killed in between leaves
 *       the entry absent, never stale. Writes to a mapped file survive a process crash but not
 *       a machine crash, and the cache describes one store: so the file records an owner,
 *       derived from the machine's boot id and the store's incarnation ({@link #owner}), and a
 *       cache opened by another owner (after a reboot, or over a replaced store) starts empty.
 * </ul>
 */
public final class VersionCache implements AutoCloseable {

    /** Returned by {@link #get} for a timeline that is not cached. */
    public static final long MISSING = -1;
    public static final int WAYS = 7;
    static final int LOCK_STRIPES = 1024;

    private static final long MAGIC = 0x5345_4456_4552_5331L; // "SEDVERS1"
    private static final int LAYOUT_VERSION = 1;
    private static final int HEADER_BYTES = 64;
    private static final int ROW_BYTES = 128;
    private static final int ROW_HEADER_BYTES = 16;
    private static final int RECORD_BYTES = 16;

    private final MappedBytes bytes;
    private final int rows;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    private VersionCache(MappedBytes bytes, int rows) {
        this.bytes = bytes;
        this.rows = rows;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Opens (or creates) a cache of at least {@code capacity} timelines in {@code file}.
     *
     * @param owner whose contents the file may keep ({@link #owner} in production); contents
     *              written under another owner are discarded
     */
    public static VersionCache open(Path file, long capacity, UUID owner) {
        if (capacity < WAYS || capacity > (1L << 34)) {
            throw new IllegalArgumentException("version cache capacity must be in [" + WAYS + ", 2^34], got " + capacity);
        }
        int rows = Integer.highestOneBit((int) Math.min(Integer.MAX_VALUE / 2, (capacity + WAYS - 1) / WAYS));
        if (rows * (long) WAYS < capacity) {
            rows <<= 1;
        }
        long size = HEADER_BYTES + (long) rows * ROW_BYTES;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            boolean existed = Files.exists(file) && Files.size(file) > 0;
            File target = file.toFile();
            MappedBytes bytes = MappedBytes.singleMappedBytes(target, size);
            bytes.singleThreadedCheckDisabled(true);
            VersionCache cache = new VersionCache(bytes, rows);
            if (existed) {
                cache.checkGeometry(file);
                if (!owner.equals(cache.storedOwner())) {
                    cache.clear(owner); // a reboot (mapped writes may be torn), or another store
                }
            } else {
                cache.clear(owner);
            }
            return cache;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map version cache " + file, e);
        }
    }

    /**
     * The owner of a cache whose contents hold while the machine stays up and the store it
     * describes stays the same: one stamp from both, so a change of either empties the cache.
     */
    public static UUID owner(UUID bootId, UUID storeIncarnation) {
        byte[] both = ByteBuffer.allocate(32).putLong(bootId.getMostSignificantBits())
                .putLong(bootId.getLeastSignificantBits()).putLong(storeIncarnation.getMostSignificantBits())
                .putLong(storeIncarnation.getLeastSignificantBits()).array();
        return UUID.nameUUIDFromBytes(both);
    }

    /** This machine's boot id, which changes on every reboot. */
    public static UUID currentBootId() {
        try {
            return UUID.fromString(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip());
        } catch (IOException | IllegalArgumentException e) {
            // No boot id: treat every open as after a reboot, which is safe (the cache starts empty).
            return UUID.randomUUID();
        }
    }

    /** The cached version of {@code timeline}, or {@link #MISSING}. Marks it most recently used. */
    public long get(long timeline) {
        int row = rowOf(timeline);
        long base = rowOffset(row);
        synchronized (lockOf(row)) {
            int way = wayOf(base, timeline);
            if (way >= 0) {
                long version = bytes.readLong(recordOffset(base, way) + 8);
                if (way > 0) { // already the most recent: a hit then writes nothing
                    moveToFront(base, way, timeline, version);
                }
                hits.increment();
                return version;
            }
        }
        misses.increment();
        return MISSING;
    }

    /** Caches {@code version} unless a newer one is cached; evicts the row's least recent entry. */
    public void put(long timeline, long version) {
        if (version < 0) {
            throw new IllegalArgumentException("versions are ≥ 0, got " + version);
        }
        int row = rowOf(timeline);
        long base = rowOffset(row);
        synchronized (lockOf(row)) {
            int way = wayOf(base, timeline);
            if (way >= 0) {
                long cached = bytes.readLong(recordOffset(base, way) + 8);
                moveToFront(base, way, timeline, Math.max(cached, version));
                return;
            }
            int count = bytes.readInt(base);
            int kept = Math.min(count, WAYS - 1);
            moveToFront(base, kept, timeline, version);
            if (count < WAYS) {
                bytes.writeInt(base, count + 1);
            }
        }
    }

    /** Forgets {@code timeline}: the next {@link #get} misses. */
    public void invalidate(long timeline) {
        int row = rowOf(timeline);
        long base = rowOffset(row);
        synchronized (lockOf(row)) {
            int way = wayOf(base, timeline);
            if (way >= 0) {
                int count = bytes.readInt(base);
                for (int next = way + 1; next < count; next++) {
                    copyRecord(base, next, next - 1);
                }
                bytes.writeInt(base, count - 1);
            }
        }
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** Timelines the cache can hold: rows × ways. */
    public long capacity() {
        return (long) rows * WAYS;
    }

    @Override
    public void close() {
        bytes.releaseLast();
    }

    /** The way holding {@code timeline} in the row at {@code base}, or -1. Call under the row's lock. */
    private int wayOf(long base, long timeline) {
        int count = bytes.readInt(base);
        for (int way = 0; way < count; way++) {
            if (bytes.readLong(recordOffset(base, way)) == timeline) {
                return way;
            }
        }
        return -1;
    }

    /** Shifts records {@code 0..way-1} down one place and writes the record at the front. */
    private void moveToFront(long base, int way, long timeline, long version) {
        for (int i = way; i > 0; i--) {
            copyRecord(base, i - 1, i);
        }
        bytes.writeLong(recordOffset(base, 0), timeline);
        bytes.writeLong(recordOffset(base, 0) + 8, version);
    }

    private void copyRecord(long base, int from, int to) {
        bytes.writeLong(recordOffset(base, to), bytes.readLong(recordOffset(base, from)));
        bytes.writeLong(recordOffset(base, to) + 8, bytes.readLong(recordOffset(base, from) + 8));
    }

    private int rowOf(long timeline) {
        long h = timeline * 0x9E3779B97F4A7C15L;
        return (int) ((h ^ (h >>> 29)) & (rows - 1));
    }

    private Object lockOf(int row) {
        return locks[row & (LOCK_STRIPES - 1)];
    }

    private static long rowOffset(int row) {
        return HEADER_BYTES + (long) row * ROW_BYTES;
    }

    private static long recordOffset(long rowBase, int way) {
        return rowBase + ROW_HEADER_BYTES + (long) way * RECORD_BYTES;
    }

    private void checkGeometry(Path file) {
        if (bytes.readLong(0) != MAGIC || bytes.readInt(8) != LAYOUT_VERSION) {
            close();
            throw new IllegalStateException(file + " is not a version cache of layout " + LAYOUT_VERSION);
        }
        int storedRows = bytes.readInt(12);
        if (storedRows != rows) {
            close();
            throw new IllegalStateException(file + " holds " + storedRows + " rows but " + rows
                    + " were asked for: open it with the same capacity, or delete it (it is only a cache)");
        }
    }

    private UUID storedOwner() {
        return new UUID(bytes.readLong(16), bytes.readLong(24));
    }

    /** Empties every row and stamps the file with its geometry and owner. */
    private void clear(UUID owner) {
        for (int row = 0; row < rows; row++) {
            bytes.writeInt(rowOffset(row), 0);
        }
        bytes.writeLong(0, MAGIC);
        bytes.writeInt(8, LAYOUT_VERSION);
        bytes.writeInt(12, rows);
        bytes.writeLong(16, owner.getMostSignificantBits());
        bytes.writeLong(24, owner.getLeastSignificantBits());
    }
}
