package org.sediment.memory.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.MappedBytes;
import org.sediment.common.api.ssd.TimelineItem;

/**
 * One LRU chain of the page cache: a fixed region of shared memory (a file mapped with Chronicle
 * Bytes) holding a circular log of pages and an index of where each timeline's newest page
 * starts. The layout and why a crash cannot make it serve torn bytes are in {@code CACHE.md}.
 *
 * <p>Pages are appended at the log's head, which wraps at the end of the region: a new page
 * overwrites the oldest ones. A page read from the older half of the log is appended again, so
 * pages in use survive the wrap and the chain evicts, roughly, the least recently used. Nothing
 * is allocated per cached page: the index and the log are the region itself.
 *
 * <p>Thread-safe: a chain serves one caller at a time (its monitor); a cache has dozens of chains.
 */
final class PageChain implements AutoCloseable {
    static final long MAGIC = 0x5345_4450_4147_4531L; // "SEDPAGE1"
    static final int LAYOUT_VERSION = 1;
    static final int HEADER_BYTES = 64;
    static final int WAYS = 8;
    static final int SLOT_BYTES = 16;
    static final int ROW_BYTES = WAYS * SLOT_BYTES;
    /** One index slot per this many bytes of log: pages are rarely smaller. */
    static final int LOG_BYTES_PER_SLOT = 4096;
    /** length, crc, own offset, timeline, version, flags, item count. */
    static final int ENTRY_HEADER_BYTES = 4 + 4 + 8 + 8 + 8 + 4 + 4;
    static final int ITEM_HEADER_BYTES = 8 + 4 + 4;

    private static final int HEAD_AT = 24;
    private static final int FLAG_COMPLETE = 1;
    /** An index slot's stored offset is the entry's log offset + 1: 0 marks an empty slot. */
    private static final long EMPTY = 0;

    private final MappedBytes bytes;
    private final int rows;
    private final long logBytes;
    private final long logBase;
    /** Entries below this offset were written before this process opened the chain: their CRC is checked. */
    private final long openedAt;
    private long head;
    private byte[] scratch = new byte[4096];
    private final CRC32C crc = new CRC32C();
    final ChainStats stats = new ChainStats();

    private PageChain(MappedBytes bytes, int rows, long logBytes) {
        this.bytes = bytes;
        this.rows = rows;
        this.logBytes = logBytes;
        this.logBase = HEADER_BYTES + (long) rows * ROW_BYTES;
        this.head = bytes.readLong(HEAD_AT);
        this.openedAt = head;
    }

    /**
     * Opens (or creates) a chain of {@code regionBytes} in {@code file}; an existing file of
     * another geometry or layout is started afresh (it is only a cache).
     */
    static PageChain open(Path file, long regionBytes) {
        if (regionBytes < 64 * 1024) {
            throw new IllegalArgumentException("a chain needs at least 64 KiB, got " + regionBytes);
        }
        int rows = Integer.highestOneBit((int) Math.min(1 << 24, Math.max(1, regionBytes / LOG_BYTES_PER_SLOT / WAYS)));
        long logBytes = (regionBytes - HEADER_BYTES - (long) rows * ROW_BYTES) & ~7L;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            boolean existed = Files.exists(file) && Files.size(file) == regionBytes;
            if (Files.exists(file) && !existed) {
                Files.delete(file); // another size: another geometry
            }
            MappedBytes mapped = MappedBytes.singleMappedBytes(file.toFile(), regionBytes);
            mapped.singleThreadedCheckDisabled(true);
            // Every access is absolute; bulk reads stop at the write position, so it spans the region.
            mapped.writePosition(regionBytes);
            boolean same = existed && mapped.readLong(0) == MAGIC && mapped.readInt(8) == LAYOUT_VERSION
                    && mapped.readInt(12) == rows && mapped.readLong(16) == logBytes;
            if (!same) {
                format(mapped, rows, logBytes);
            }
            return new PageChain(mapped, rows, logBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map page chain " + file, e);
        }
    }

    private static void format(MappedBytes mapped, int rows, long logBytes) {
        for (long at = HEADER_BYTES; at < HEADER_BYTES + (long) rows * ROW_BYTES; at += 8) {
            mapped.writeLong(at, EMPTY);
        }
        mapped.writeLong(HEAD_AT, 0);
        mapped.writeInt(12, rows);
        mapped.writeLong(16, logBytes);
        mapped.writeInt(8, LAYOUT_VERSION);
        mapped.writeLong(0, MAGIC);
    }

    /** The largest page this chain takes: a quarter of its log, so one page never evicts the rest. */
    long maxEntryBytes() {
        return logBytes / 4;
    }

    /** The newest page cached for {@code timeline}, or null. */
    synchronized CachedPage get(long timeline) {
        long row = rowOffset(timeline);
        int way = wayOf(row, timeline);
        if (way < 0) {
            return null;
        }
        long offset = bytes.readLong(row + (long) way * SLOT_BYTES + 8) - 1;
        int length = readIntact(offset, timeline, false);
        if (length < 0) {
            clearSlot(row, way);
            return null;
        }
        CachedPage page = decode(length);
        if (offset < head - logBytes / 2) {
            append(timeline, length, row, way); // in use and old: keep it past the next wrap
        }
        return page;
    }

    /**
     * Caches {@code page} as its timeline's newest; a page older than the cached one (a lower
     * version) is ignored, so a slow fill never replaces a fresher page.
     *
     * @return false when the page was not cached: larger than {@link #maxEntryBytes}, or older
     */
    synchronized boolean put(CachedPage page) {
        long size = entryBytes(page.items());
        if (size > maxEntryBytes()) {
            return false;
        }
        long row = rowOffset(page.timeline());
        int way = wayOf(row, page.timeline());
        if (way >= 0) {
            long offset = bytes.readLong(row + (long) way * SLOT_BYTES + 8) - 1;
            if (readIntact(offset, page.timeline(), false) < 0) {
                clearSlot(row, way);
                way = -1;
            } else if (ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN).getLong(24) > page.version()) {
                return false;
            }
        }
        encode(page, (int) size);
        append(page.timeline(), (int) size, row, way);
        return true;
    }

    /** Bytes of the log written so far, over all laps: how far the head has moved. */
    synchronized long head() {
        return head;
    }

    long logBytes() {
        return logBytes;
    }

    /**
     * Writes the entry in {@link #scratch} (its first {@code length} bytes) at the head, its own
     * offset and CRC filled in, and points the index at it. The head moves first: a crash after
     * that leaves a torn entry that no index slot names, or one whose CRC fails.
     */
    private void append(long timeline, int length, long row, int way) {
        long at = head;
        if (at % logBytes + length > logBytes) {
            at += logBytes - at % logBytes; // never split an entry over the end: start the next lap
        }
        ByteBuffer entry = ByteBuffer.wrap(scratch, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        entry.putInt(0, length);
        entry.putLong(8, at);
        crc.reset();
        crc.update(scratch, 8, length - 8);
        entry.putInt(4, (int) crc.getValue());
        head = at + length;
        bytes.writeLong(HEAD_AT, head);
        bytes.write(logBase + at % logBytes, scratch, 0, length);
        int slot = way >= 0 ? way : victim(row);
        long slotAt = row + (long) slot * SLOT_BYTES;
        bytes.writeLong(slotAt, timeline);
        bytes.writeLong(slotAt + 8, at + 1);
    }

    /**
     * The length of the intact entry of {@code timeline} at {@code offset}, copied into
     * {@link #scratch}; or -1 when the log moved past it, or its bytes are not that entry's.
     */
    private int readIntact(long offset, long timeline, boolean alwaysCheckCrc) {
        if (!live(offset)) {
            stats.evicted.increment();
            return -1;
        }
        long at = logBase + offset % logBytes;
        int length = bytes.readInt(at);
        if (length < ENTRY_HEADER_BYTES || length > maxEntryBytes() || offset % logBytes + length > logBytes
                || offset + length > head) {
            stats.torn.increment();
            return -1;
        }
        ensureScratch(length);
        bytes.read(at, scratch, 0, length);
        ByteBuffer entry = ByteBuffer.wrap(scratch, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        if (entry.getLong(8) != offset || entry.getLong(16) != timeline) {
            stats.torn.increment();
            return -1;
        }
        if (offset < openedAt || alwaysCheckCrc) { // an earlier process may have died mid-write
            crc.reset();
            crc.update(scratch, 8, length - 8);
            if ((int) crc.getValue() != entry.getInt(4)) {
                stats.torn.increment();
                return -1;
            }
        }
        return length;
    }

    /**
     * Index slots that name a live entry whose bytes do not check out, CRC included. Always 0
     * unless a crash tore a write that nothing has read since: for tests of the layout.
     */
    synchronized int brokenSlots() {
        int broken = 0;
        for (int row = 0; row < rows; row++) {
            long rowAt = HEADER_BYTES + (long) row * ROW_BYTES;
            for (int way = 0; way < WAYS; way++) {
                long stored = bytes.readLong(rowAt + (long) way * SLOT_BYTES + 8);
                if (stored != EMPTY && live(stored - 1)
                        && readIntact(stored - 1, bytes.readLong(rowAt + (long) way * SLOT_BYTES), true) < 0) {
                    broken++;
                }
            }
        }
        return broken;
    }

    private boolean live(long offset) {
        return offset >= head - logBytes && offset < head;
    }

    private static long entryBytes(List<TimelineItem> items) {
        long size = ENTRY_HEADER_BYTES;
        for (TimelineItem item : items) {
            size += ITEM_HEADER_BYTES + item.value().length;
        }
        return (size + 7) & ~7L;
    }

    private void encode(CachedPage page, int size) {
        ensureScratch(size);
        ByteBuffer entry = ByteBuffer.wrap(scratch, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        entry.position(16);
        entry.putLong(page.timeline()).putLong(page.version()).putInt(page.complete() ? FLAG_COMPLETE : 0)
                .putInt(page.items().size());
        for (TimelineItem item : page.items()) {
            entry.putLong(item.ts()).putInt(item.seq()).putInt(item.value().length).put(item.value());
        }
        while (entry.position() < size) {
            entry.put((byte) 0);
        }
    }

    private CachedPage decode(int length) {
        ByteBuffer entry = ByteBuffer.wrap(scratch, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        entry.position(16);
        long timeline = entry.getLong();
        long version = entry.getLong();
        boolean complete = (entry.getInt() & FLAG_COMPLETE) != 0;
        int count = entry.getInt();
        List<TimelineItem> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long ts = entry.getLong();
            int seq = entry.getInt();
            byte[] value = new byte[entry.getInt()];
            entry.get(value);
            items.add(new TimelineItem(ts, seq, value));
        }
        return new CachedPage(timeline, version, complete, items);
    }

    private void ensureScratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
    }

    /** The way of {@code row} that names {@code timeline}, or -1. */
    private int wayOf(long row, long timeline) {
        for (int way = 0; way < WAYS; way++) {
            long slot = row + (long) way * SLOT_BYTES;
            if (bytes.readLong(slot + 8) != EMPTY && bytes.readLong(slot) == timeline) {
                return way;
            }
        }
        return -1;
    }

    /** A way to reuse: an empty one, else one whose entry the log overwrote, else the oldest. */
    private int victim(long row) {
        int oldest = 0;
        long oldestOffset = Long.MAX_VALUE;
        for (int way = 0; way < WAYS; way++) {
            long stored = bytes.readLong(row + (long) way * SLOT_BYTES + 8);
            if (stored == EMPTY || !live(stored - 1)) {
                return way;
            }
            if (stored - 1 < oldestOffset) {
                oldestOffset = stored - 1;
                oldest = way;
            }
        }
        stats.displaced.increment();
        return oldest;
    }

    private void clearSlot(long row, int way) {
        bytes.writeLong(row + (long) way * SLOT_BYTES + 8, EMPTY);
    }

    private long rowOffset(long timeline) {
        return HEADER_BYTES + (mix(timeline) & (rows - 1)) * ROW_BYTES;
    }

    /** Spreads timeline ids (often small and sequential) over all bits: MurmurHash3's finalizer. */
    static long mix(long timeline) {
        long h = timeline;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    @Override
    public synchronized void close() {
        bytes.releaseLast();
    }
}
