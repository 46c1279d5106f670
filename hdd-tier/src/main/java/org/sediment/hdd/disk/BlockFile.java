package org.sediment.hdd.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.LongAdder;

/**
 * One block file on one disk: appended to through reservations, read by offset. The sinker
 * reserves a record's length on each replica of the group, gets the same offset from all of them
 * (it is their only writer and appends to all three alike), and writes the record there; a write
 * is on the disk (fsync) before it returns. Reads are single positioned reads.
 *
 * <p>Reservations live in memory: after a restart the file's length is where the next one
 * starts, and a record whose write never finished is garbage no link points to.
 */
public final class BlockFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private long reservedEnd;
    /** Positioned read calls: a read of a whole record normally takes exactly one. */
    final LongAdder readCalls = new LongAdder();

    private BlockFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.reservedEnd = size;
    }

    public static BlockFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return new BlockFile(path, channel, channel.size());
    }

    /** Where a record of {@code length} bytes will go; the space is this caller's until written. */
    public synchronized long reserve(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("a reservation is at least one byte, got " + length);
        }
        long at = reservedEnd;
        reservedEnd += length;
        return at;
    }

    /**
     * Writes {@code record} at {@code offset}, which a {@link #reserve} returned, and syncs it
     * (data and the file's length) before returning.
     */
    public void write(long offset, byte[] record) throws IOException {
        synchronized (this) {
            if (offset < 0 || offset + record.length > reservedEnd) {
                throw new IllegalArgumentException("write of " + record.length + " bytes at " + offset + " in " + path
                        + " is outside every reservation (reserved to " + reservedEnd + ")");
            }
        }
        ByteBuffer buffer = ByteBuffer.wrap(record);
        long at = offset;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
        channel.force(true);
    }

    /**
     * Puts a record copied from a peer back at {@code offset} (over a damaged copy, or past the
     * end where this file lacks it), synced. Repair only: the bytes were checked against their
     * CRCs first, and the group's other files say they belong there.
     */
    public void repair(long offset, byte[] record) throws IOException {
        synchronized (this) {
            reservedEnd = Math.max(reservedEnd, offset + record.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(record);
        long at = offset;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
        channel.force(true);
    }

    /** {@code length} bytes at {@code offset}, or fewer if the file ends first. */
    public byte[] read(long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            readCalls.increment();
            int n = channel.read(buffer, offset + buffer.position());
            if (n < 0) {
                break;
            }
        }
        if (buffer.hasRemaining()) {
            byte[] shorter = new byte[buffer.position()];
            buffer.flip().get(shorter);
            return shorter;
        }
        return buffer.array();
    }

    public long size() throws IOException {
        return channel.size();
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
