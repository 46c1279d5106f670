package org.sediment.ssd.log;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/** File naming, directory sync and replay for {@link GroupCommitLog}. */
final class LogFiles {

    private LogFiles() {
    }

    static Path path(Path dir, String prefix, String suffix, long firstSeq) {
        return dir.resolve(prefix + String.format("%020d", firstSeq) + suffix);
    }

    static List<Path> list(Path dir, String prefix, String suffix) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(suffix);
            }).sorted().toList();
        }
    }

    static long firstSeq(Path file, String prefix, String suffix) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(prefix.length(), name.length() - suffix.length()));
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Replays one file's records; returns the last sequence read. In the newest file, a damaged
     * record ends the log there (the file is truncated to the last intact record); in an older
     * file it is corruption, and the open fails.
     */
    static long replay(Path file, long firstSeq, long previousSeq, boolean newest, int recordBytesMax,
            GroupCommitLog.RecordVisitor visitor) throws IOException {
        if (previousSeq != 0 && firstSeq != previousSeq + 1) {
            throw new IOException("log file " + file + " starts at record " + firstSeq + " but the previous file ended at "
                    + previousSeq + ": records are missing");
        }
        long seq = firstSeq - 1;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long position = 0;
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(GroupCommitLog.HEADER_BYTES);
            while (position < size) {
                String damage = null;
                byte[] payload = null;
                header.clear();
                if (!readFully(channel, header, position)) {
                    damage = "a record header is cut short";
                } else {
                    header.flip();
                    int length = header.getInt();
                    int expectedCrc = header.getInt();
                    long recordSeq = header.getLong();
                    if (recordSeq == seq + 1 && length > recordBytesMax
                            && intact(channel, position, length, recordSeq, expectedCrc, size)) {
                        // Written whole by a log with a larger limit: cutting it off would lose it and
                        // every record after it, so refuse instead.
                        throw new IOException("log file " + file + " holds record " + recordSeq + " of " + length
                                + " bytes, more than recordBytesMax " + recordBytesMax
                                + ": open the log with the limit it was written with");
                    }
                    if (length < 0 || length > recordBytesMax) {
                        damage = "a record claims " + length + " bytes";
                    } else if (recordSeq != seq + 1) {
                        damage = "record " + recordSeq + " follows record " + seq;
                    } else {
                        ByteBuffer body = ByteBuffer.allocate(length);
                        if (!readFully(channel, body, position + GroupCommitLog.HEADER_BYTES)) {
                            damage = "record " + recordSeq + " is cut short";
                        } else {
                            payload = body.array();
                            if (checksum(recordSeq, payload) != expectedCrc) {
                                damage = "record " + recordSeq + " fails its checksum";
                            }
                        }
                    }
                }
                if (damage != null) {
                    if (!newest) {
                        throw new IOException("log file " + file + " is corrupt at byte " + position + ": " + damage);
                    }
                    channel.truncate(position); // a torn write at the tail: it was never acknowledged
                    channel.force(true);
                    return seq;
                }
                seq++;
                visitor.record(seq, payload);
                position += GroupCommitLog.HEADER_BYTES + payload.length;
            }
        } catch (EOFException e) {
            throw new IOException("log file " + file + " ended unexpectedly", e);
        }
        return seq;
    }

    /** Whether a record with this header lies whole in the file and passes its checksum. */
    private static boolean intact(FileChannel channel, long position, int length, long seq, int expectedCrc, long size)
            throws IOException {
        if (length < 0 || length > size - position - GroupCommitLog.HEADER_BYTES) {
            return false;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        return readFully(channel, body, position + GroupCommitLog.HEADER_BYTES)
                && checksum(seq, body.array()) == expectedCrc;
    }

    /** A record's CRC32C: over its sequence number (8 bytes, big-endian), then its payload. */
    private static int checksum(long seq, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, seq));
        crc.update(payload);
        return (int) crc.getValue();
    }

    private static boolean readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int read = channel.read(into, at);
            if (read < 0) {
                return false;
            }
            at += read;
        }
        return true;
    }
}
