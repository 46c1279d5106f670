package org.sediment.ssd.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A hot segment's item values, kept out of its LevelDB: LevelDB holds a key and a 13-byte
 * pointer, so its memtable flushes and compactions, which rewrite every entry several times
 * over, move tens of bytes per item instead of the whole value. The values themselves are
 * written once, here, and never moved: time-ordered data is rarely deleted, and what is left
 * of a segment goes when the whole segment is dropped.
 *
 * <p>Records are {@code [length u32][crc32c u32][value]}, appended; a pointer is the record's
 * offset and the value's length. Staged values are written with one system call per batch
 * ({@link #writeStaged}), before the LevelDB batch that points at them, so any pointer a reader
 * finds is to bytes already in the file. Durability is {@link #sync}'s: like LevelDB's own
 * write-ahead log, the file is not fsynced per write, and after a crash the node replays its
 * Paxos log from the last checkpoint, which rewrites every pointer that might lead past what
 * survived. Appends continue at the end of the file as found, so a torn tail is never reused.
 *
 * <p>Threads: one writer (the store's apply thread), any number of readers.
 */
final class ValueLog implements AutoCloseable {

    static final String FILE_NAME = "values.vlog";
    static final int HEADER_BYTES = 8;
    private static final int STAGE_BYTES = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer stage = ByteBuffer.allocateDirect(STAGE_BYTES);
    private final CRC32C crc = new CRC32C();
    /** Where the next staged record lands: the file's end plus what is staged. */
    private long end;

    private ValueLog(Path path, FileChannel channel, long end) {
        this.path = path;
        this.channel = channel;
        this.end = end;
    }

    static ValueLog open(Path dir) {
        Path path = dir.resolve(FILE_NAME);
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            return new ValueLog(path, channel, channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open value log " + path, e);
        }
    }

    /** Stages {@code value}; returns the offset of its record, readable once {@link #writeStaged} returns. */
    long stage(byte[] value) {
        int recordBytes = HEADER_BYTES + value.length;
        if (recordBytes > stage.remaining()) {
            writeStaged();
        }
        long offset = end;
        crc.reset();
        crc.update(value);
        if (recordBytes > stage.capacity()) {
            ByteBuffer record = ByteBuffer.allocate(recordBytes).putInt(value.length).putInt((int) crc.getValue())
                    .put(value).flip();
            writeFully(record, offset);
        } else {
            stage.putInt(value.length).putInt((int) crc.getValue()).put(value);
        }
        end += recordBytes;
        return offset;
    }

    /** Writes what {@link #stage} gathered to the file (not fsynced). */
    void writeStaged() {
        if (stage.position() == 0) {
            return;
        }
        stage.flip();
        writeFully(stage, end - stage.remaining());
        stage.clear();
    }

    /**
     * The value of {@code length} bytes whose record starts at {@code offset}.
     *
     * @throws IllegalStateException the record is not there or fails its checksum: the pointer
     *         or the file is damaged
     */
    byte[] read(long offset, int length) {
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + length);
        try {
            for (long at = offset; record.hasRemaining(); ) {
                int n = channel.read(record, at);
                if (n < 0) {
                    throw new IllegalStateException("value log " + path + " ends before the record at " + offset
                            + " (" + length + " bytes)");
                }
                at += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read value log " + path, e);
        }
        record.flip();
        int storedLength = record.getInt();
        int storedCrc = record.getInt();
        byte[] value = new byte[length];
        record.get(value);
        CRC32C check = new CRC32C();
        check.update(value);
        if (storedLength != length || storedCrc != (int) check.getValue()) {
            throw new IllegalStateException("value log " + path + ": the record at " + offset + " is damaged "
                    + "(length " + storedLength + ", expected " + length + "; checksum "
                    + (storedCrc == (int) check.getValue() ? "ok" : "mismatch") + ")");
        }
        return value;
    }

    /** Makes every written value durable. */
    void sync() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync value log " + path, e);
        }
    }

    long sizeBytes() {
        return end;
    }

    @Override
    public void close() {
        try {
            writeStaged();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close value log " + path, e);
        }
    }

    private void writeFully(ByteBuffer source, long position) {
        try {
            for (long at = position; source.hasRemaining(); ) {
                at += channel.write(source, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write value log " + path, e);
        }
    }
}
