package org.sediment.hdd.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.sediment.common.block.DiskLayout;

/**
 * One disk of an HDD node: a directory of block files, one per time window, opened when first
 * used and kept open. Nothing spans disks (no RAID): losing one loses only its files, which the
 * group's other nodes hold byte for byte.
 */
public final class DiskStore implements AutoCloseable {
    private final int index;
    private final Path dir;
    private final ConcurrentHashMap<Long, BlockFile> files = new ConcurrentHashMap<>();
    /** Positioned read calls of files closed since: the total stays whole. */
    private final LongAdder closedReadCalls = new LongAdder();

    public DiskStore(int index, Path dir) {
        this.index = index;
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use disk directory " + dir, e);
        }
    }

    public int index() {
        return index;
    }

    public Path dir() {
        return dir;
    }

    /** The file, created empty if it does not exist yet. */
    public synchronized BlockFile file(long file) {
        return files.computeIfAbsent(file, f -> {
            try {
                return BlockFile.open(dir.resolve(DiskLayout.fileName(f)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open block file " + f + " on disk " + index, e);
            }
        });
    }

    /** The file if it exists on this disk, else null (a read never creates one). */
    public synchronized BlockFile existing(long file) {
        BlockFile open = files.get(file);
        if (open != null || !Files.exists(dir.resolve(DiskLayout.fileName(file)))) {
            return open;
        }
        return file(file);
    }

    /** Positioned read calls on this disk since it opened. */
    public long readCalls() {
        return closedReadCalls.sum() + files.values().stream().mapToLong(f -> f.readCalls.sum()).sum();
    }

    /** Closes every open file; the next use opens them again (after a rebuild replaced them). */
    public synchronized void forget() {
        close();
    }

    @Override
    public synchronized void close() {
        for (BlockFile f : files.values()) {
            closedReadCalls.add(f.readCalls.sum());
            try {
                f.close();
            } catch (IOException e) {
                // closing: nothing left to lose, the data is synced
            }
        }
        files.clear();
    }
}
