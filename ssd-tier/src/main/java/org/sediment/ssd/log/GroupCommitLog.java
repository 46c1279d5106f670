package org.sediment.ssd.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * An append-only, fsynced record log with group commit: records appended while an fsync is in
 * flight share the next one, so durable throughput is not one fsync per record.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every record gets a dense sequence number in append order, and records become durable
 *       as a prefix: when {@link #durableSeq()} reaches {@code s}, records {@code 1..s} are on
 *       disk (written and {@code force}d). This is what the Paxos core needs to release the
 *       messages that depend on a write.
 *   <li>Records are framed {@code [length u32][crc32c u32][seq u64][payload]}. At open, the log
 *       replays every intact record; a torn record at the end of the newest file (a crash
 *       mid-write) is cut off, and anything damaged elsewhere fails the open loudly.
 *   <li>A failed write or fsync is kept and thrown by every later call: the log never
 *       acknowledges past a failure.
 *   <li>Bounded: at most {@code pendingRecordsMax} records wait for the disk; past that
 *       {@link #append} blocks (callers run on virtual threads, never on an event loop).
 * </ul>
 *
 * <p>Threads: any number of appenders; one flusher thread owned by the log.
 */
public final class GroupCommitLog implements AutoCloseable {

    /** Receives recovered records at open, in sequence order. */
    @FunctionalInterface
    public interface RecordVisitor {
        void record(long seq, byte[] payload);
    }

    static final int HEADER_BYTES = 16;
    public static final long SLOW_FSYNC_MILLIS = 20;
    private static final String PREFIX = "wal-";
    private static final String SUFFIX = ".log";

    private final Path dir;
    private final GroupCommitConfig config;
    private final LongConsumer onDurable;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition hasPending = lock.newCondition();
    private final Condition hasRoom = lock.newCondition();
    private final Condition durableAdvanced = lock.newCondition();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private final ByteBuffer buffer;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer seqBytes = ByteBuffer.allocate(8);
    private final Thread flusher;
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong slowFsyncs = new AtomicLong();
    private final AtomicLong slowestFsyncNanos = new AtomicLong();

    private long nextSeq;
    private long durableSeq;
    private boolean closing;
    private Throwable failure;
    private FileChannel file;
    private long fileBytes;

    private GroupCommitLog(Path dir, GroupCommitConfig config, LongConsumer onDurable, long lastSeq,
            FileChannel file) throws IOException {
        this.dir = dir;
        this.config = config;
        this.onDurable = onDurable;
        this.nextSeq = lastSeq + 1;
        this.durableSeq = lastSeq;
        this.file = file;
        this.fileBytes = file == null ? 0 : file.size();
        this.buffer = ByteBuffer.allocateDirect(config.batchBytesMax() + config.batchRecordsMax() * HEADER_BYTES)
                .order(ByteOrder.BIG_ENDIAN);
        this.flusher = Thread.ofPlatform().name("group-commit " + dir.getFileName()).daemon().unstarted(this::flushLoop);
    }

    /**
     * Opens the log in {@code dir}, replaying every intact record to {@code visitor} first.
     *
     * @param onDurable called on the flusher thread with the new durable sequence after each fsync
     */
    public static GroupCommitLog open(Path dir, GroupCommitConfig config, RecordVisitor visitor, LongConsumer onDurable) {
        try {
            Files.createDirectories(dir);
            List<Path> files = LogFiles.list(dir, PREFIX, SUFFIX);
            long lastSeq = 0;
            for (int i = 0; i < files.size(); i++) {
                boolean newest = i == files.size() - 1;
                lastSeq = LogFiles.replay(files.get(i), LogFiles.firstSeq(files.get(i), PREFIX, SUFFIX),
                        lastSeq, newest, config.recordBytesMax(), visitor);
            }
            FileChannel channel = null;
            if (!files.isEmpty()) {
                channel = FileChannel.open(files.get(files.size() - 1), StandardOpenOption.WRITE);
                channel.position(channel.size());
            }
            GroupCommitLog log = new GroupCommitLog(dir, config, onDurable, lastSeq, channel);
            log.flusher.start();
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log " + dir, e);
        }
    }

    /** Queues a record; returns its sequence number. Blocks while the queue is full. */
    public long append(byte[] payload) throws InterruptedException {
        if (payload.length > config.recordBytesMax()) {
            throw new IllegalArgumentException("record of " + payload.length + " bytes exceeds recordBytesMax "
                    + config.recordBytesMax());
        }
        lock.lockInterruptibly();
        try {
            while (pending.size() >= config.pendingRecordsMax() && failure == null && !closing) {
                hasRoom.await();
            }
            throwIfFailedOrClosed();
            pending.add(payload);
            if (pending.size() == 1 || pending.size() == config.batchRecordsMax()) {
                hasPending.signal(); // the flusher waits for a first record, or lingers for a full batch
            }
            return nextSeq++;
        } finally {
            lock.unlock();
        }
    }

    /** Appends and waits until the record is durable. */
    public long appendDurably(byte[] payload) throws InterruptedException {
        long seq = append(payload);
        awaitDurable(seq);
        return seq;
    }

    public void awaitDurable(long seq) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (durableSeq < seq) {
                throwIfFailedOrClosed();
                durableAdvanced.await();
            }
        } finally {
            lock.unlock();
        }
    }

    public long durableSeq() {
        lock.lock();
        try {
            return durableSeq;
        } finally {
            lock.unlock();
        }
    }

    /** fsyncs so far: with {@link #recordsWritten()}, how well group commit batches. */
    public long fsyncs() {
        return fsyncs.get();
    }

    public long recordsWritten() {
        return recordsWritten.get();
    }

    /**
     * fsyncs that took {@link #SLOW_FSYNC_MILLIS} or more: each alone spends a write's latency
     * budget. Timed around the call, so a GC pause that ends during one counts too.
     */
    public long slowFsyncs() {
        return slowFsyncs.get();
    }

    /** The slowest fsync so far, in milliseconds. */
    public long slowestFsyncMillis() {
        return TimeUnit.NANOSECONDS.toMillis(slowestFsyncNanos.get());
    }

    /**
     * Deletes whole files that hold only records below {@code seq}: the caller no longer needs
     * them (e.g. the store checkpointed past them). The file being written is never deleted.
     */
    public void trimBelow(long seq) {
        try {
            List<Path> files = LogFiles.list(dir, PREFIX, SUFFIX);
            for (int i = 0; i + 1 < files.size(); i++) {
                long nextFirst = LogFiles.firstSeq(files.get(i + 1), PREFIX, SUFFIX);
                if (nextFirst <= seq) {
                    Files.delete(files.get(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot trim log " + dir, e);
        }
    }

    /** Flushes what was appended, then stops the flusher. */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * Stops as a killed process would: records still waiting for the disk are dropped, not
     * flushed (a batch already being written may still land). For crash tests of the node.
     */
    public void abandon() {
        stop(true);
    }

    private void stop(boolean dropPending) {
        lock.lock();
        try {
            if (dropPending) {
                pending.clear();
            }
            closing = true;
            hasPending.signalAll();
            hasRoom.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            flusher.join();
            if (file != null) {
                file.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void throwIfFailedOrClosed() {
        if (failure != null) {
            throw new IllegalStateException("log " + dir + " failed earlier: " + failure, failure);
        }
        if (closing) {
            throw new IllegalStateException("log " + dir + " is closed");
        }
    }

    private void flushLoop() {
        List<byte[]> batch = new ArrayList<>(config.batchRecordsMax());
        while (true) {
            long firstSeq;
            lock.lock();
            try {
                while (pending.isEmpty() && !closing) {
                    hasPending.awaitUninterruptibly();
                }
                if (pending.isEmpty()) {
                    return; // closing, and everything appended is durable
                }
                if (config.lingerMicros() > 0) {
                    // Appends wake the flusher only when the batch fills, so this waits the full linger.
                    long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(config.lingerMicros());
                    long left;
                    while (pending.size() < config.batchRecordsMax() && !closing
                            && (left = deadline - System.nanoTime()) > 0) {
                        hasPending.awaitNanos(left);
                    }
                }
                firstSeq = durableSeq + 1;
                drainBatch(batch);
                hasRoom.signalAll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            long lastSeq = firstSeq + batch.size() - 1;
            Throwable error = null;
            try {
                writeAndForce(batch, firstSeq);
            } catch (IOException | RuntimeException e) {
                error = e;
            }
            batch.clear();
            lock.lock();
            try {
                if (error != null) {
                    failure = error;
                } else {
                    durableSeq = lastSeq;
                }
                durableAdvanced.signalAll();
                hasRoom.signalAll();
            } finally {
                lock.unlock();
            }
            if (error != null) {
                return;
            }
            onDurable.accept(lastSeq);
        }
    }

    private void drainBatch(List<byte[]> batch) {
        long bytes = 0;
        while (!pending.isEmpty() && batch.size() < config.batchRecordsMax()) {
            byte[] next = pending.peek();
            if (!batch.isEmpty() && bytes + next.length > config.batchBytesMax()) {
                break;
            }
            batch.add(pending.poll());
            bytes += next.length;
        }
    }

    private void writeAndForce(List<byte[]> batch, long firstSeq) throws IOException {
        buffer.clear();
        long seq = firstSeq;
        for (byte[] payload : batch) {
            crc.reset();
            crc.update(seqBytes.clear().putLong(0, seq));
            crc.update(payload);
            buffer.putInt(payload.length).putInt((int) crc.getValue()).putLong(seq).put(payload);
            seq++;
        }
        buffer.flip();
        if (file == null || fileBytes + buffer.remaining() > config.fileBytesMax()) {
            startFile(firstSeq);
        }
        while (buffer.hasRemaining()) {
            fileBytes += file.write(buffer);
        }
        long began = System.nanoTime();
        file.force(false);
        long took = System.nanoTime() - began;
        if (took >= TimeUnit.MILLISECONDS.toNanos(SLOW_FSYNC_MILLIS)) {
            slowFsyncs.incrementAndGet();
        }
        slowestFsyncNanos.accumulateAndGet(took, Math::max);
        fsyncs.incrementAndGet();
        recordsWritten.addAndGet(batch.size());
    }

    private void startFile(long firstSeq) throws IOException {
        if (file != null) {
            file.force(true);
            file.close();
        }
        Path path = LogFiles.path(dir, PREFIX, SUFFIX, firstSeq);
        file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        fileBytes = 0;
        LogFiles.forceDirectory(dir); // the new file's name must survive a crash too
    }
}
