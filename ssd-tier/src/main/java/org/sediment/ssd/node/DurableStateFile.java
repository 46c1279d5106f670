package org.sediment.ssd.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.sediment.ssd.node.wire.LogRecordCodec;

/**
 * The checkpointed {@link DurableState} and the log position it covers, in one file replaced
 * atomically (write a temporary file, fsync it, rename, fsync the directory): a crash leaves
 * either the old or the new file, never a torn one.
 *
 * <p>Layout: {@code magic u32, format u8, coveredLogSeq u64, count u32, count × (length u32,
 * LogRecord bytes), crc32c u32} over everything before the crc.
 */
final class DurableStateFile {

    static final String NAME = "durable-state.bin";
    private static final int MAGIC = 0x53445354; // "SDST"
    private static final byte FORMAT = 1;

    /** What a checkpoint wrote: the state as of log record {@code coveredLogSeq}. */
    record Contents(long coveredLogSeq, DurableState state) {
    }

    private DurableStateFile() {
    }

    static boolean exists(Path dir) {
        return Files.exists(dir.resolve(NAME));
    }

    static void write(Path dir, long coveredLogSeq, List<LogRecord> records) {
        List<byte[]> encoded = new ArrayList<>(records.size());
        int size = 4 + 1 + 8 + 4 + 4;
        for (LogRecord record : records) {
            byte[] bytes = LogRecordCodec.encode(record);
            encoded.add(bytes);
            size += 4 + bytes.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).put(FORMAT).putLong(coveredLogSeq).putInt(encoded.size());
        for (byte[] bytes : encoded) {
            out.putInt(bytes.length).put(bytes);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        Path tmp = dir.resolve(NAME + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.flip();
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.force(true);
            }
            Files.move(tmp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(NAME), e);
        }
    }

    static Contents read(Path dir) {
        Path file = dir.resolve(NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (bytes.length < 21) {
            throw new IllegalStateException(file + " is truncated (" + bytes.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt(bytes.length - 4) != (int) crc.getValue()) {
            throw new IllegalStateException(file + " fails its checksum");
        }
        if (in.getInt() != MAGIC || in.get() != FORMAT) {
            throw new IllegalStateException(file + " is not a durable-state file of this format");
        }
        long covered = in.getLong();
        int count = in.getInt();
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = in.getInt();
            if (length < 0 || length > in.remaining() - 4) {
                throw new IllegalStateException(file + ": record " + i + " claims " + length + " bytes");
            }
            byte[] record = new byte[length];
            in.get(record);
            records.add(LogRecordCodec.decode(record));
        }
        return new Contents(covered, DurableState.of(records));
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
