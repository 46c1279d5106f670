package org.sediment.ssd.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.Range;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.iq80.leveldb.env.Env;
import org.iq80.leveldb.fileenv.EnvImpl;
import org.iq80.leveldb.impl.DbImpl;
import org.iq80.leveldb.table.BloomFilterPolicy;

/** One time segment: one LevelDB holding the items whose timestamps fall in its window. */
final class Segment implements AutoCloseable {

    private static final WriteOptions NO_SYNC = new WriteOptions().sync(false);
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
        CompressionType compression = hot ? policy.hotCompression() : policy.coldCompression();
        Options options = new Options()
                .createIfMissing(true)
                .paranoidChecks(true)
                .blockSize(hot ? policy.hotBlockBytes() : policy.coldBlockBytes())
                .compressionType(compression)
                .writeBufferSize(policy.writeBufferBytes())
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

    /**
     * Makes every earlier write durable without holding up later ones. A synced LevelDB write
     * would do it too, but LevelDB queues every writer behind that fsync, which stalls the
     * node's apply path for as long as the disk takes. So this fsyncs LevelDB's write-ahead logs
     * through descriptors of its own (fsync covers the file, whoever wrote it), then the
     * directory that names them. Tables need nothing: LevelDB syncs each one it writes, and a
     * log it deleted had first been flushed into one.
     */
    void sync() {
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
