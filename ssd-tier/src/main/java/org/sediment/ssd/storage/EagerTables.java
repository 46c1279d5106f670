package org.sediment.ssd.storage;

import java.lang.reflect.Field;
import java.util.concurrent.locks.ReentrantLock;
import org.iq80.leveldb.impl.DbImpl;
import org.iq80.leveldb.impl.FileMetaData;
import org.iq80.leveldb.impl.Version;
import org.iq80.leveldb.impl.VersionSet;

/**
 * Opens every live table of a LevelDB at once, which reads its index and filter blocks into the
 * table cache, so the first reads after a start do not each pay for opening a table.
 *
 * <p>LevelDB's API has no call for this: an estimate of a key range's size opens only the tables
 * that straddle the range's ends. So this reaches the engine's version set and its lock, two
 * private fields of the engine build the project pins ({@code io.github.pcmind:leveldb}), and
 * does what the engine's own iterators do: take the current version under the lock, hold it so
 * that no compaction deletes its files meanwhile, and open each file through the table cache.
 * {@code SegmentedStoreTest} checks the tables' files are open after a segment opens, so an
 * engine upgrade that moves these fields fails a test, not a production start.
 */
final class EagerTables {
    private static final Field VERSIONS = field("versions");
    private static final Field MUTEX = field("mutex");

    private EagerTables() {
    }

    /** Opens every table of {@code db}'s current version; returns how many. */
    static int open(DbImpl db) {
        VersionSet versions;
        ReentrantLock mutex;
        try {
            versions = (VersionSet) VERSIONS.get(db);
            mutex = (ReentrantLock) MUTEX.get(db);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reach LevelDB's version set", e);
        }
        Version current;
        mutex.lock();
        try {
            current = versions.getCurrent();
            current.retain();
        } finally {
            mutex.unlock();
        }
        try {
            int opened = 0;
            for (FileMetaData file : current.getFiles().values()) {
                versions.getTableCache().getApproximateOffsetOf(file, file.getSmallest().encode());
                opened++;
            }
            return opened;
        } finally {
            mutex.lock();
            try {
                current.release();
            } finally {
                mutex.unlock();
            }
        }
    }

    private static Field field(String name) {
        try {
            Field field = DbImpl.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("this LevelDB build has no DbImpl." + name + ": " + e);
        }
    }
}
