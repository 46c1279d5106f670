package org.sediment.ssd.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.Range;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.iq80.leveldb.table.BloomFilterPolicy;

/** One time segment: one LevelDB holding the items whose timestamps fall in its window. */
final class Segment implements AutoCloseable {

    private static final WriteOptions NO_SYNC = new WriteOptions().sync(false);
    private static final WriteOptions SYNC = new WriteOptions().sync(true);
    private static final byte[] SYNC_MARKER = {0};
    private static final byte[] ALL_KEYS_FROM = {};
    private static final byte[] ALL_KEYS_TO = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

    final long number;
    final boolean hot;
    private final File dir;
    private final DB db;

    private Segment(long number, boolean hot, File dir, DB db) {
        this.number = number;
        this.hot = hot;
        this.dir = dir;
        this.db = db;
    }

    static Segment open(File dir, long number, boolean hot, SegmentPolicy policy) {
        Options options = new Options()
                .createIfMissing(true)
                .paranoidChecks(true)
                .blockSize(hot ? policy.hotBlockBytes() : policy.coldBlockBytes())
                .compressionType(hot ? policy.hotCompression() : policy.coldCompression())
                .writeBufferSize(policy.writeBufferBytes())
                .cacheSize(policy.blockCacheBytes())
                // Keep every table open once opened, so the eager index load below lasts.
                .maxOpenFiles(10_000)
                // Point reads of absent items (version checks, deletes) skip tables without the key.
                .filterPolicy(new BloomFilterPolicy(10));
        try {
            // Memory-mapped files stay on (the default): appends through the mapping cost a sixth
            // of the node's CPU under load, but without mappings this build hands heap buffers to
            // snappy, which refuses them, so compressed (cold) segments fail to read.
            DB db = Iq80DBFactory.factory.open(dir, options);
            Segment segment = new Segment(number, hot, dir, db);
            segment.loadIndexes();
            return segment;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open segment " + number + " at " + dir, e);
        }
    }

    /**
     * Opens every table now, reading its index and filter blocks, so the first reads after a
     * start do not pay for it. Estimating the size of the whole key range makes LevelDB consult
     * every table file, which loads it into the table cache.
     */
    private void loadIndexes() {
        db.getApproximateSizes(new Range(ALL_KEYS_FROM, ALL_KEYS_TO));
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

    void write(WriteBatch batch) {
        db.write(batch, NO_SYNC);
    }

    /** Makes every earlier write durable: a synced write forces the whole log before it. */
    void sync() {
        db.put(SYNC_MARKER, SYNC_MARKER, SYNC);
    }

    void suspendCompactions() throws InterruptedException {
        db.suspendCompactions();
    }

    void resumeCompactions() {
        db.resumeCompactions();
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
    public void close() {
        try {
            db.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close segment " + number, e);
        }
    }
}
