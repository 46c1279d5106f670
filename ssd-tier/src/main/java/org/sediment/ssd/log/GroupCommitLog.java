package org.sediment.ssd.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.sediment.common.time.Clock;

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
 *   <li>Bounded: records waiting for the disk take at most {@code pendingBytesMax} of buffers;
 *       past that {@link #append} blocks (callers run on virtual threads or core threads, never
 *       on an event loop).
 * </ul>
 *
 * <h2>Why chunks</h2>
 * An append frames its record straight into a direct buffer (a chunk of up to 1 MiB) and the
 * flusher writes whole chunks with one gathering write. The caller's bytes are copied once and
 * nothing is allocated per record: a loaded node logs two records of about a value's size per
 * write, and an array per record was a fifth of everything it allocated. Chunks go back to a
 * small spare list after their fsync. A chunk holds at most {@code batchRecordsMax} records and
 * the bytes of a batch, and the flusher takes whole chunks, so one fsync still covers at most
 * a batch; a record larger than a chunk gets a chunk of its own.
 *
 * <h2>Why files are reused</h2>
 * Trimmed files are kept (up to {@code spareFilesMax}, renamed {@code spare-*.log}) and the
 * log writes over them instead of creating new ones. Overwriting blocks a file already has
 * leaves {@code fdatasync} only data to flush; appending to a growing file made every fsync also
 * commit the file system's journal for the new size and blocks (an idle-disk test of 64 KiB
 * writes each followed by {@code fdatasync}: median 0.25-0.30 ms growing, 0.14-0.16 ms
 * overwriting; {@code bin/sediment load-log} measures the log itself both ways). The old records left beyond the end of a reused file carry lower sequence
 * numbers than any new one, so replay stops at them as at a torn tail; a file the log leaves is
 * cut to its written length first, so only the newest file can hold them.
 *
 * <p>Threads: any number of appenders; one flusher thread owned by the log. Time (the linger,
 * fsync durations) is read from the {@link Clock} the log is opened with.
 */
public final class GroupCommitLog implements AutoCloseable {

    /** Receives recovered records at open, in sequence order. */
    @FunctionalInterface
    public interface RecordVisitor {
        void record(long seq, byte[] payload);
    }

    static final int HEADER_BYTES = 16;
    public static final long SLOW_FSYNC_MILLIS = 20;
    static final int CHUNK_BYTES_MAX = 1 << 20;
    /** Spare chunks kept for reuse; more, left from a burst, are dropped for the collector. */
    private static final int SPARE_CHUNKS_MAX = 8;
    private static final String PREFIX = "wal-";
    private static final String SPARE_PREFIX = "spare-";
    private static final String SUFFIX = ".log";

    /** Framed records in a direct buffer: appenders fill it to its position, the flusher writes it. */
    private static final class Chunk {
        final ByteBuffer bytes;
        int records;

        Chunk(int capacity) {
            this.bytes = ByteBuffer.allocateDirect(capacity).order(ByteOrder.BIG_ENDIAN);
        }
    }

    private final Path dir;
    private final GroupCommitConfig config;
    private final Clock clock;
    private final LongConsumer onDurable;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition hasPending = lock.newCondition();
    private final Condition hasRoom = lock.newCondition();
    private final Condition durableAdvanced = lock.newCondition();
    /** Chunks not yet taken by the flusher, oldest first; appends go into the last. */
    private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    private final ArrayDeque<Chunk> spare = new ArrayDeque<>();
    private final int chunkBytes;
    private final long batchFrameBytesMax;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer seqBytes = ByteBuffer.allocate(8);
    private final Thread flusher;
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong slowFsyncs = new AtomicLong();
    private final AtomicLong slowestFsyncNanos = new AtomicLong();
    /** Trimmed files to write over: the checkpoint thread adds, the flusher takes. */
    private final ConcurrentLinkedDeque<Path> spareFiles = new ConcurrentLinkedDeque<>();
    private final AtomicLong filesReused = new AtomicLong();

    private long nextSeq;
    private long durableSeq;
    private int pendingRecords;
    /** When the oldest record not yet taken by the flusher was appended ({@link Clock#monotonicNanos()}). */
    private long firstPendingNanos;
    /** Capacity of every chunk appended to and not yet written: what {@code pendingBytesMax} bounds. */
    private long bufferedBytes;
    private boolean closing;
    private Throwable failure;
    private FileChannel file;
    private long fileBytes;

    private GroupCommitLog(Path dir, GroupCommitConfig config, Clock clock, LongConsumer onDurable, long lastSeq,
            FileChannel file) throws IOException {
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.onDurable = onDurable;
        this.nextSeq = lastSeq + 1;
        this.durableSeq = lastSeq;
        this.file = file;
        this.fileBytes = file == null ? 0 : file.size();
        this.batchFrameBytesMax = config.batchBytesMax() + (long) config.batchRecordsMax() * HEADER_BYTES;
        this.chunkBytes = (int) Math.min(CHUNK_BYTES_MAX, batchFrameBytesMax);
        this.flusher = Thread.ofPlatform().name("group-commit " + dir.getFileName()).daemon().unstarted(this::flushLoop);
    }

    /** {@link #open(Path, GroupCommitConfig, Clock, RecordVisitor, LongConsumer)} on the system clock. */
    public static GroupCommitLog open(Path dir, GroupCommitConfig config, RecordVisitor visitor, LongConsumer onDurable) {
        return open(dir, config, Clock.system(), visitor, onDurable);
    }

    /**
     * Opens the log in {@code dir}, replaying every intact record to {@code visitor} first.
     *
     * @param clock     times the linger and the fsyncs; the flusher reads it on its own thread
     * @param onDurable called on the flusher thread with the new durable sequence after each fsync
     */
    public static GroupCommitLog open(Path dir, GroupCommitConfig config, Clock clock, RecordVisitor visitor,
            LongConsumer onDurable) {
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
            GroupCommitLog log = new GroupCommitLog(dir, config, clock, onDurable, lastSeq, channel);
            log.spareFiles.addAll(LogFiles.list(dir, SPARE_PREFIX, SUFFIX));
            log.flusher.start();
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log " + dir, e);
        }
    }

    /** Queues a record; returns its sequence number. Blocks while the buffers are full. */
    public long append(byte[] payload) throws InterruptedException {
        return append(payload, 0, payload.length);
    }

    /**
     * Queues {@code length} bytes of {@code source} from {@code offset} as one record (copied:
     * the caller may reuse the array at once); returns its sequence number.
     */
    public long append(byte[] source, int offset, int length) throws InterruptedException {
        if (length > config.recordBytesMax()) {
            throw new IllegalArgumentException("record of " + length + " bytes exceeds recordBytesMax "
                    + config.recordBytesMax());
        }
        int frameBytes = HEADER_BYTES + length;
        lock.lockInterruptibly();
        try {
            throwIfFailedOrClosed();
            Chunk chunk = pending.peekLast();
            if (chunk == null || chunk.bytes.remaining() < frameBytes || chunk.records >= config.batchRecordsMax()) {
                chunk = newChunk(frameBytes);
            }
            long seq = nextSeq++;
            crc.reset();
            crc.update(seqBytes.clear().putLong(0, seq));
            crc.update(source, offset, length);
            chunk.bytes.putInt(length).putInt((int) crc.getValue()).putLong(seq).put(source, offset, length);
            chunk.records++;
            pendingRecords++;
            if (pendingRecords == 1) {
                firstPendingNanos = clock.monotonicNanos();
            }
            if (pendingRecords == 1 || pendingRecords == config.batchRecordsMax()) {
                hasPending.signal(); // the flusher waits for a first record, or lingers for a full batch
            }
            return seq;
        } finally {
            lock.unlock();
        }
    }

    /** A chunk at the end of {@link #pending}, once the buffers have room for it. Under the lock. */
    private Chunk newChunk(int frameBytes) throws InterruptedException {
        int capacity = Math.max(chunkBytes, frameBytes);
        // Always room for one chunk: a record larger than the bound must still pass.
        while (bufferedBytes > 0 && bufferedBytes + capacity > config.pendingBytesMax()
                && failure == null && !closing) {
            hasRoom.await();
        }
        throwIfFailedOrClosed();
        Chunk chunk = capacity == chunkBytes && !spare.isEmpty() ? spare.poll() : new Chunk(capacity);
        bufferedBytes += capacity;
        pending.addLast(chunk);
        return chunk;
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

    /** Files the log wrote over instead of creating (see "Why files are reused"). */
    public long filesReused() {
        return filesReused.get();
    }

    /**
     * Drops whole files that hold only records below {@code seq}: the caller no longer needs
     * them (e.g. the store checkpointed past them). A few are kept as spares for the log to write
     * over; the rest are deleted. The file being written is never dropped.
     */
    public void trimBelow(long seq) {
        try {
            List<Path> files = LogFiles.list(dir, PREFIX, SUFFIX);
            for (int i = 0; i + 1 < files.size(); i++) {
                long nextFirst = LogFiles.firstSeq(files.get(i + 1), PREFIX, SUFFIX);
                if (nextFirst <= seq) {
                    Path file = files.get(i);
                    if (spareFiles.size() < config.spareFilesMax()) {
                        Path spare = dir.resolve(SPARE_PREFIX + file.getFileName().toString().substring(PREFIX.length()));
                        Files.move(file, spare, StandardCopyOption.ATOMIC_MOVE);
                        spareFiles.add(spare);
                    } else {
                        Files.delete(file);
                    }
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
                for (Chunk chunk : pending) {
                    bufferedBytes -= chunk.bytes.capacity();
                }
                pending.clear();
                pendingRecords = 0;
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
        List<Chunk> batch = new ArrayList<>();
        ByteBuffer[] views = new ByteBuffer[0];
        while (true) {
            long firstSeq;
            int records;
            lock.lock();
            try {
                while (pendingRecords == 0 && !closing) {
                    hasPending.awaitUninterruptibly();
                }
                if (pendingRecords == 0) {
                    return; // closing, and everything appended is durable
                }
                if (config.lingerMicros() > 0) {
                    // The linger counts from the oldest waiting record's arrival: records that came
                    // during the last fsync have waited already and go at once. Appends wake the
                    // flusher only when the batch fills, so otherwise this waits out the deadline
                    // (and reads the clock again after each wait: a test's clock does not move with
                    // real time).
                    long deadline = firstPendingNanos + TimeUnit.MICROSECONDS.toNanos(config.lingerMicros());
                    long left;
                    while (pendingRecords < config.batchRecordsMax() && !closing
                            && (left = deadline - clock.monotonicNanos()) > 0) {
                        hasPending.awaitNanos(left);
                    }
                }
                firstSeq = durableSeq + 1;
                records = drainBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            long lastSeq = firstSeq + records - 1;
            if (views.length < batch.size()) {
                views = new ByteBuffer[batch.size()];
            }
            long bytes = 0;
            for (int i = 0; i < batch.size(); i++) {
                views[i] = batch.get(i).bytes.flip();
                bytes += views[i].remaining();
            }
            Throwable error = null;
            try {
                writeAndForce(views, batch.size(), bytes, firstSeq);
                recordsWritten.addAndGet(records);
            } catch (IOException | RuntimeException e) {
                error = e;
            }
            Arrays.fill(views, null);
            lock.lock();
            try {
                recycle(batch);
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
            batch.clear();
            if (error != null) {
                return;
            }
            onDurable.accept(lastSeq);
        }
    }

    /** Takes whole chunks, oldest first, up to a batch (always at least one); returns their records. */
    private int drainBatch(List<Chunk> batch) {
        int records = 0;
        long bytes = 0;
        while (!pending.isEmpty()) {
            Chunk next = pending.peek();
            if (!batch.isEmpty() && (records + next.records > config.batchRecordsMax()
                    || bytes + next.bytes.position() > batchFrameBytesMax)) {
                break;
            }
            batch.add(pending.poll());
            records += next.records;
            bytes += next.bytes.position();
        }
        pendingRecords -= records;
        return records;
    }

    private void recycle(List<Chunk> written) {
        for (Chunk chunk : written) {
            bufferedBytes -= chunk.bytes.capacity();
            if (chunk.bytes.capacity() == chunkBytes && spare.size() < SPARE_CHUNKS_MAX) {
                chunk.bytes.clear();
                chunk.records = 0;
                spare.push(chunk);
            }
        }
    }

    private void writeAndForce(ByteBuffer[] views, int count, long bytes, long firstSeq) throws IOException {
        if (file == null || fileBytes + bytes > config.fileBytesMax()) {
            startFile(firstSeq);
        }
        long left = bytes;
        while (left > 0) {
            long written = file.write(views, 0, count);
            fileBytes += written;
            left -= written;
        }
        long began = clock.monotonicNanos();
        file.force(false);
        long took = clock.monotonicNanos() - began;
        if (took >= TimeUnit.MILLISECONDS.toNanos(SLOW_FSYNC_MILLIS)) {
            slowFsyncs.incrementAndGet();
        }
        slowestFsyncNanos.accumulateAndGet(took, Math::max);
        fsyncs.incrementAndGet();
    }

    private void startFile(long firstSeq) throws IOException {
        if (file != null) {
            file.truncate(fileBytes); // a reused file's old records end here, so only the newest file has them
            file.force(true);
            file.close();
        }
        Path path = LogFiles.path(dir, PREFIX, SUFFIX, firstSeq);
        Path spare = spareFiles.poll();
        if (spare != null) {
            Files.move(spare, path, StandardCopyOption.ATOMIC_MOVE);
            file = FileChannel.open(path, StandardOpenOption.WRITE);
            filesReused.incrementAndGet();
        } else {
            file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        fileBytes = 0;
        LogFiles.forceDirectory(dir); // the new file's name must survive a crash too
    }
}
