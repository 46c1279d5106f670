package org.sediment.ssd.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.iq80.leveldb.Logger;
import org.iq80.leveldb.env.DbLock;
import org.iq80.leveldb.env.Env;
import org.iq80.leveldb.env.File;
import org.iq80.leveldb.env.RandomInputFile;
import org.iq80.leveldb.env.SequentialFile;
import org.iq80.leveldb.env.WritableFile;
import org.iq80.leveldb.fileenv.EnvImpl;
import org.iq80.leveldb.fileenv.MmapLimiter;
import org.iq80.leveldb.util.Slice;

/**
 * LevelDB's file access for uncompressed segments: plain file I/O, no memory mappings, and table
 * files written through a buffer.
 *
 * <p>Appending through a mapping costs a page fault every page and a remap every few, a sixth of
 * a loaded node's CPU. Plain files cost a system call per append instead, and LevelDB appends a
 * table a block (a few KiB) at a time, so table files gather their appends in a buffer and write
 * it whole. Write-ahead logs stay unbuffered: {@link Segment#sync} makes them durable through a
 * descriptor of its own, so every logged write must already be in the file when it returns.
 */
final class PlainFilesEnv implements Env {

    static final PlainFilesEnv INSTANCE = new PlainFilesEnv();
    private static final int TABLE_BUFFER_BYTES = 256 * 1024;

    /** A limiter with no mappings to hand out: every file is plain. */
    private final Env plain = EnvImpl.createEnv(MmapLimiter.newLimiter(0));

    private PlainFilesEnv() {
    }

    @Override
    public WritableFile newWritableFile(File file) throws IOException {
        String name = file.getName();
        if (name.endsWith(".ldb") || name.endsWith(".sst")) {
            return new BufferedTableFile(Path.of(file.getPath()));
        }
        return plain.newWritableFile(file);
    }

    @Override
    public long nowMicros() {
        return plain.nowMicros();
    }

    @Override
    public File toFile(String path) {
        return plain.toFile(path);
    }

    @Override
    public File createTempDir(String prefix) {
        return plain.createTempDir(prefix);
    }

    @Override
    public SequentialFile newSequentialFile(File file) throws IOException {
        return plain.newSequentialFile(file);
    }

    @Override
    public RandomInputFile newRandomAccessFile(File file) throws IOException {
        return plain.newRandomAccessFile(file);
    }

    @Override
    public WritableFile newAppendableFile(File file) throws IOException {
        return plain.newAppendableFile(file);
    }

    @Override
    public void writeStringToFileSync(File file, String content) throws IOException {
        plain.writeStringToFileSync(file, content);
    }

    @Override
    public String readFileToString(File file) throws IOException {
        return plain.readFileToString(file);
    }

    @Override
    public Logger newLogger(File file) throws IOException {
        return plain.newLogger(file);
    }

    @Override
    public DbLock tryLock(File file) throws IOException {
        return plain.tryLock(file);
    }

    /** A new table file, written in buffer-sized pieces; force and close write what is left. */
    private static final class BufferedTableFile implements WritableFile {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(TABLE_BUFFER_BYTES);

        BufferedTableFile(Path path) throws IOException {
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }

        @Override
        public void append(Slice data) throws IOException {
            ByteBuffer source = data.toByteBuffer();
            if (source.remaining() > buffer.remaining()) {
                writeBuffer();
            }
            if (source.remaining() >= buffer.capacity()) {
                writeFully(source);
            } else {
                buffer.put(source);
            }
        }

        @Override
        public void force() throws IOException {
            writeBuffer();
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            try {
                writeBuffer();
            } finally {
                channel.close();
            }
        }

        private void writeBuffer() throws IOException {
            buffer.flip();
            writeFully(buffer);
            buffer.clear();
        }

        private void writeFully(ByteBuffer source) throws IOException {
            while (source.hasRemaining()) {
                channel.write(source);
            }
        }
    }
}
