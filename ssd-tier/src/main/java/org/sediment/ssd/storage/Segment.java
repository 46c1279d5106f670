package org.sediment.ssd.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.iq80.leveldb.env.Env;
import org.iq80.leveldb.fileenv.EnvImpl;
import org.iq80.leveldb.impl.DbImpl;
import org.iq80.leveldb.table.BloomFilterPolicy;

/**
 * One time segment: one LevelDB holding the items whose timestamps fall in its window (or, for
 * the store's {@code meta} segment, per-timeline state with plain values).
 *
 * <p>An item segment tags each value LevelDB holds: {@link #INLINE} and the value, or
 * {@link #IN_LOG} and a pointer into the segment's {@link ValueLog}. Hot segments, which take
 * the writes, put values of {@link SegmentPolicy#separateValuesFromBytes()} or more in the log;
 * older ones keep them inline, where their compression reaches them. A segment read later as
 * cold still follows the pointers it holds.
 */
final class Segment implements AutoCloseable {

    static final byte INLINE = 0;
    static final byte IN_LOG = 1;
    private static final int POINTER_BYTES = 1 + 8 + 4;
    /** Present in every item segment with tagged values; a segment without it predates them. */
    static final String TAGGED_VALUES_MARKER = "TAGGED-VALUES";

    private static final WriteOptions NO_SYNC = new WriteOptions().sync(false);
    private static final byte[] ALL_KEYS_FROM = {};
    private static final byte[] ALL_KEYS_TO = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

    final long number;
    final boolean hot;
    private final File dir;
    private final DB db;
    /** Null for {@code meta}, and for an older segment that never had one. */
    private final ValueLog values;
    private final int separateFromBytes;
    /**
     * Whether compaction is paused. LevelDB pauses it by parking a task on its compaction thread,
     * which looks for a shutdown only every 500 ms, and its close waits for that thread: a paused
     * segment resumes before it closes, or every close to make room during a pause would take up
     * to half a second.
     */
    private boolean compactionsSuspended;

    private Segment(long number, boolean hot, File dir, DB db, ValueLog values, int separateFromBytes) {
        this.number = number;
        this.hot = hot;
        this.dir = dir;
        this.db = db;
        this.values = values;
        this.separateFromBytes = separateFromBytes;
    }

    /**
     * Opens (or creates) an item segment, whose values are tagged. A new segment gets its marker
     * before LevelDB creates anything, so a crash in between never leaves an unmarked segment.
     */
    static Segment openItems(File dir, long number, boolean hot, SegmentPolicy policy) {
        File marker = new File(dir, TAGGED_VALUES_MARKER);
        checkTagged(dir, number);
        try {
            Files.createDirectories(dir.toPath());
            if (!marker.exists()) {
                Files.write(marker.toPath(), new byte[0]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark segment " + number + " at " + dir, e);
        }
        return open(dir, number, hot, policy, true);
    }

    /**
     * Refuses a segment written by a build before values were tagged. The store checks every
     * segment when it opens, not only those it opens at once, so an old segment is refused at the
     * start and not at some later read.
     */
    static void checkTagged(File dir, long number) {
        if (new File(dir, "CURRENT").exists() && !new File(dir, TAGGED_VALUES_MARKER).exists()) {
            throw new IllegalStateException("segment " + number + " at " + dir + " was written by an older build "
                    + "(untagged values); this build cannot read it");
        }
    }

    /** Opens (or creates) the store's {@code meta} segment: plain values, no value log. */
    static Segment openMeta(File dir, SegmentPolicy policy) {
        return open(dir, Long.MIN_VALUE, true, policy, false);
    }

    private static Segment open(File dir, long number, boolean hot, SegmentPolicy policy, boolean items) {
        CompressionType compression = hot ? policy.hotCompression() : policy.coldCompression();
        Options options = new Options()
                .createIfMissing(true)
                .paranoidChecks(true)
                .blockSize(hot ? policy.hotBlockBytes() : policy.coldBlockBytes())
                .compressionType(compression)
                .writeBufferSize(items ? policy.writeBufferBytes() : policy.metaWriteBufferBytes())
                .cacheSize(policy.blockCacheBytes())
                // Keep every table open once opened, so the eager index load below lasts.
                .maxOpenFiles(10_000)
                // Point reads of absent items (version checks, deletes) skip tables without the key.
                .filterPolicy(new BloomFilterPolicy(10));
        try {
            // Uncompressed segments (the hot ones, which take the writes) use plain, buffered
            // files (see PlainFilesEnv). Compressed segments keep LevelDB's memory mappings,
            // because this build only decompresses blocks read through one.
            Env env = compression == CompressionType.NONE ? PlainFilesEnv.INSTANCE : EnvImpl.createEnv();
            DB db = new DbImpl(options, dir.getAbsolutePath(), env);
            boolean separate = items && hot;
            ValueLog values = separate || (items && new File(dir, ValueLog.FILE_NAME).exists())
                    ? ValueLog.open(dir.toPath()) : null;
            Segment segment = new Segment(number, hot, dir, db, values,
                    separate ? policy.separateValuesFromBytes() : Integer.MAX_VALUE);
            segment.loadIndexes();
            return segment;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open segment " + number + " at " + dir, e);
        }
    }

    /** Opens every table now, so the first reads after a start do not pay for it (EagerTables). */
    private void loadIndexes() {
        EagerTables.open((DbImpl) db);
    }

    byte[] get(byte[] key) {
        return db.get(key);
    }

    DBIterator iterator() {
        return db.iterator();
    }

    WriteBatch newBatch() {
        return db.createWriteBatch();
    }

    /**
     * What LevelDB keeps for an item's value: the value inline, or a pointer to it, staged in the
     * value log to be written by the next {@link #write}. Item segments only; one writer.
     */
    byte[] stored(byte[] value) {
        if (value.length >= separateFromBytes) {
            long offset = values.stage(value);
            return ByteBuffer.allocate(POINTER_BYTES).put(IN_LOG).putLong(offset).putInt(value.length).array();
        }
        byte[] stored = new byte[1 + value.length];
        stored[0] = INLINE;
        System.arraycopy(value, 0, stored, 1, value.length);
        return stored;
    }

    /** The item value behind what LevelDB keeps for it (see {@link #stored}). */
    byte[] value(byte[] stored) {
        if (stored.length > 0 && stored[0] == INLINE) {
            return Arrays.copyOfRange(stored, 1, stored.length);
        }
        if (stored.length == POINTER_BYTES && stored[0] == IN_LOG && values != null) {
            ByteBuffer pointer = ByteBuffer.wrap(stored, 1, POINTER_BYTES - 1);
            long offset = pointer.getLong();
            return values.read(offset, pointer.getInt());
        }
        throw new IllegalStateException("segment " + number + ": an item value of " + stored.length + " bytes with tag "
                + (stored.length == 0 ? "none" : stored[0]) + (values == null ? " and no value log" : ""));
    }

    /** Writes the values {@link #stored} staged, then {@code batch}: a reader never meets a dangling pointer. */
    void write(WriteBatch batch) {
        if (values != null) {
            values.writeStaged();
        }
        db.write(batch, NO_SYNC);
    }

    /**
     * Makes every earlier write durable without holding up later ones. A synced LevelDB write
     * would do it too, but LevelDB queues every writer behind that fsync, which stalls the
     * node's apply path for as long as the disk takes. So this fsyncs LevelDB's write-ahead logs
     * through descriptors of its own (fsync covers the file, whoever wrote it), then the
     * directory that names them. Tables need nothing: LevelDB syncs each one it writes, and a
     * log it deleted had first been flushed into one.
     */
    void sync() {
        if (values != null) {
            values.sync(); // before the pointers to them
        }
        try (var files = Files.list(dir.toPath())) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                try (FileChannel log = FileChannel.open(file, StandardOpenOption.READ)) {
                    log.force(false);
                } catch (NoSuchFileException e) {
                    // flushed into a synced table and deleted since the listing
                }
            }
            try (FileChannel directory = FileChannel.open(dir.toPath(), StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync segment " + number + " at " + dir, e);
        }
    }

    /** Pauses background compaction; once, however often it is called. */
    synchronized void suspendCompactions() throws InterruptedException {
        if (!compactionsSuspended) {
            db.suspendCompactions();
            compactionsSuspended = true;
        }
    }

    synchronized void resumeCompactions() {
        if (compactionsSuspended) {
            db.resumeCompactions();
            compactionsSuspended = false;
        }
    }

    void compactAll() {
        db.compactRange(ALL_KEYS_FROM, ALL_KEYS_TO);
    }

    String stats() {
        return db.getProperty("leveldb.stats");
    }

    File dir() {
        return dir;
    }

    @Override
    public synchronized void close() {
        try {
            resumeCompactions(); // else LevelDB's close waits up to 500 ms for its parked compaction task
            db.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close segment " + number, e);
        } finally {
            if (values != null) {
                values.close();
            }
        }
    }
}
