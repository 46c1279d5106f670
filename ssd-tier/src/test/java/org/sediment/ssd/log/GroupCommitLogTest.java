package org.sediment.ssd.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitLogTest {
    /** How long the log may take to do what a test waits for, on a loaded 2-core machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<Long> recoveredSeqs = new ArrayList<>();
    private final List<byte[]> recovered = new ArrayList<>();
    private final AtomicLong reportedDurable = new AtomicLong();

    private GroupCommitLog open(GroupCommitConfig config) {
        recoveredSeqs.clear();
        recovered.clear();
        return GroupCommitLog.open(dir, config, (seq, payload) -> {
            recoveredSeqs.add(seq);
            recovered.add(payload);
        }, reportedDurable::set);
    }

    @Test
    void lingeringGathersRecordsThatArriveAfterTheFirstIntoOneFsync() throws Exception {
        // A linger far longer than ten appends take: they must all share the first fsync.
        try (GroupCommitLog log = open(new GroupCommitConfig(64, 1024, 64 * 1024, 1 << 20, 1 << 20, 100_000, 2))) {
            long last = 0;
            for (int i = 0; i < 10; i++) {
                last = log.append(new byte[] {(byte) i});
            }
            log.awaitDurable(last);
            assertThat(log.fsyncs()).isEqualTo(1);
        }
    }

    @Test
    void aRecordThatWaitedOutAnFsyncDoesNotLingerAgain() throws Exception {
        // A 100 ms linger on a clock that moves only when this test moves it. The second record
        // arrives while the flusher is held after the first fsync, and is held there for twice
        // the linger: once released, it must be written at once, not after another full linger
        // (which is what it got when the linger counted from when the flusher came back).
        long lingerMillis = 100;
        SharedManualClock clock = new SharedManualClock();
        CountDownLatch flusherHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> durableAt = new CopyOnWriteArrayList<>();
        GroupCommitConfig config = new GroupCommitConfig(64, 1024, 64 * 1024, 1 << 20, 1 << 20, lingerMillis * 1000, 2);
        try (GroupCommitLog log = GroupCommitLog.open(dir, config, clock, (seq, payload) -> { }, durable -> {
            durableAt.add("record " + durable + " at " + TimeUnit.NANOSECONDS.toMillis(clock.monotonicNanos()) + " ms");
            flusherHeld.countDown();
            awaitQuietly(release);
        })) {
            try {
                log.append(new byte[] {1});
                clock.advanceMillis(lingerMillis - 1);
                // Real time passes here, more than a linger of it, but not the log's time: a lone
                // record still waits. Letting time pass is the point of this wait.
                await("a lone record waits out the linger").during(Duration.ofMillis(3 * lingerMillis))
                        .atMost(PATIENCE).pollDelay(Duration.ZERO).until(() -> log.durableSeq() == 0);
                clock.advanceMillis(1);
                assertThat(flusherHeld.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                        .as("the first record is written once the log's clock has moved a linger on").isTrue();
                long second = log.append(new byte[] {2});
                clock.advanceMillis(2 * lingerMillis);
                release.countDown();
                // The clock stands still from here on: another linger would never end.
                await("the second record is written without lingering again").atMost(PATIENCE)
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> durableAt.size() == 2);
                assertThat(log.durableSeq()).isEqualTo(second);
                assertThat(durableAt).containsExactly("record 1 at 100 ms", "record 2 at 300 ms");
                assertThat(log.fsyncs()).isEqualTo(2);
            } finally {
                release.countDown(); // a failed assertion must not leave close() waiting on the flusher
            }
        }
    }

    @Test
    void concurrentAppendsShareFsyncsAndAllSurviveAReopen() throws Exception {
        int threads = 8;
        int perThread = 500;
        try (GroupCommitLog log = open(GroupCommitConfig.defaults())) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int writer = t;
                writers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        try {
                            log.appendDurably(record(writer, i));
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                }));
            }
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(log.durableSeq()).isEqualTo(threads * perThread);
            assertThat(log.recordsWritten()).isEqualTo(threads * perThread);
            // Eight writers each waiting for durability: batches must form.
            assertThat(log.fsyncs()).isLessThan(threads * perThread);
        }
        assertThat(reportedDurable.get()).isEqualTo(threads * perThread);
        try (GroupCommitLog log = open(GroupCommitConfig.defaults())) {
            assertThat(recoveredSeqs).hasSize(threads * perThread);
            for (int i = 0; i < recoveredSeqs.size(); i++) {
                assertThat(recoveredSeqs.get(i)).isEqualTo(i + 1);
            }
            int[] nextPerWriter = new int[threads];
            for (byte[] payload : recovered) {
                ByteBuffer b = ByteBuffer.wrap(payload);
                int writer = b.getInt();
                assertThat(b.getInt()).as("writer %d's records in order", writer).isEqualTo(nextPerWriter[writer]++);
            }
            assertThat(log.append(new byte[] {9})).isEqualTo(threads * perThread + 1);
        }
    }

    @Test
    void aTornTailIsCutOffAndTheLogGoesOnAfterIt() throws Exception {
        appendAndClose(GroupCommitConfig.defaults(), 10);
        Path file = onlyFile();
        long intact = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(intact - 3); // the last record loses its end
        }
        try (GroupCommitLog log = open(GroupCommitConfig.defaults())) {
            assertThat(recoveredSeqs).hasSize(9);
            assertThat(log.appendDurably(new byte[] {42})).isEqualTo(10);
        }
        open(GroupCommitConfig.defaults()).close();
        assertThat(recoveredSeqs).hasSize(10);
        assertThat(recovered.get(9)).containsExactly(42);
    }

    @Test
    void aFlippedBitInTheNewestFileEndsTheLogThere() throws Exception {
        appendAndClose(GroupCommitConfig.defaults(), 10);
        Path file = onlyFile();
        byte[] bytes = Files.readAllBytes(file);
        int recordBytes = GroupCommitLog.HEADER_BYTES + 8;
        bytes[5 * recordBytes + GroupCommitLog.HEADER_BYTES + 2] ^= 1; // payload of record 6
        Files.write(file, bytes);
        open(GroupCommitConfig.defaults()).close();
        assertThat(recoveredSeqs).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void damageInAnOlderFileFailsTheOpen() throws Exception {
        GroupCommitConfig smallFiles = new GroupCommitConfig(64, 1, 64, 1024, 100, 0, 2);
        appendAndClose(smallFiles, 20);
        List<Path> files = LogFiles.list(dir, "wal-", ".log");
        assertThat(files.size()).isGreaterThan(2);
        byte[] bytes = Files.readAllBytes(files.get(0));
        bytes[GroupCommitLog.HEADER_BYTES] ^= 1;
        Files.write(files.get(0), bytes);
        assertThatThrownBy(() -> open(smallFiles))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("log file " + files.get(0) + " is corrupt at byte 0: record 1 fails its checksum");
    }

    @Test
    void trimmingDeletesOnlyFilesWhollyBelowTheMark() throws Exception {
        GroupCommitConfig smallFiles = new GroupCommitConfig(64, 1, 64, 1024, 100, 0, 2);
        try (GroupCommitLog log = open(smallFiles)) {
            for (int i = 0; i < 20; i++) {
                log.appendDurably(record(0, i));
            }
            log.trimBelow(9);
        }
        open(smallFiles).close();
        assertThat(recoveredSeqs.get(0)).isLessThanOrEqualTo(9);
        assertThat(recoveredSeqs.get(recoveredSeqs.size() - 1)).isEqualTo(20);
    }

    @Test
    void trimmedFilesAreWrittenOverAndTheirOldRecordsNeverReplay() throws Exception {
        // Files of four 24-byte frames; the last round writes five 17-byte ones into each of two
        // reused files, which leaves part of an old frame after them unless the log cuts it off.
        GroupCommitConfig smallFiles = new GroupCommitConfig(64, 1, 64, 1024, 100, 0, 2);
        long reused;
        try (GroupCommitLog log = open(smallFiles)) {
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < (round < 4 ? 20 : 10); i++) {
                    log.appendDurably(round < 4 ? record(round, i) : new byte[] {(byte) i});
                }
                log.trimBelow(log.durableSeq() - 2);
            }
            reused = log.filesReused();
            for (int i = 0; i < 2; i++) {
                log.append(record(9, i)); // part of a file: the reused file's old records lie beyond them
            }
            log.awaitDurable(92);
        }
        assertThat(reused).as("files written over: two spares after each round but the last").isGreaterThanOrEqualTo(8);
        assertThat(LogFiles.list(dir, "spare-", ".log")).hasSizeLessThanOrEqualTo(smallFiles.spareFilesMax());
        try (GroupCommitLog log = open(smallFiles)) {
            assertThat(recoveredSeqs.get(recoveredSeqs.size() - 1)).isEqualTo(92);
            for (int i = 1; i < recoveredSeqs.size(); i++) {
                assertThat(recoveredSeqs.get(i)).isEqualTo(recoveredSeqs.get(i - 1) + 1);
            }
            assertThat(recovered.get(recovered.size() - 1)).isEqualTo(record(9, 1));
            assertThat(recovered.get(recovered.size() - 3)).containsExactly(9);
            assertThat(log.appendDurably(record(9, 2))).isEqualTo(93);
        }
        open(smallFiles).close();
        assertThat(recoveredSeqs.get(recoveredSeqs.size() - 1)).isEqualTo(93);
    }

    @Test
    void withoutSparesTrimmedFilesAreDeleted() throws Exception {
        GroupCommitConfig noSpares = new GroupCommitConfig(64, 1, 64, 1024, 100, 0, 0);
        try (GroupCommitLog log = open(noSpares)) {
            for (int i = 0; i < 40; i++) {
                log.appendDurably(record(0, i));
                if (i % 10 == 9) {
                    log.trimBelow(log.durableSeq() - 2);
                }
            }
            assertThat(log.filesReused()).isZero();
        }
        assertThat(LogFiles.list(dir, "spare-", ".log")).isEmpty();
        assertThat(LogFiles.list(dir, "wal-", ".log")).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void refusesOversizedRecordsAndBadConfigsWithExactMessages() {
        try (GroupCommitLog log = open(new GroupCommitConfig(16, 4, 64, 1024, 1024, 0, 2))) {
            assertThatThrownBy(() -> log.append(new byte[17]))
                    .hasMessage("record of 17 bytes exceeds recordBytesMax 16");
        }
        assertThatThrownBy(() -> new GroupCommitConfig(16, 4, 8, 1024, 1024, 0, 2))
                .hasMessage("batchBytesMax (8) must be ≥ recordBytesMax (16)");
    }

    @Test
    void noFsyncCoversMoreThanABatchOfRecords() throws Exception {
        // Ten appends inside one long linger: batches of at most four records need three fsyncs.
        try (GroupCommitLog log = open(new GroupCommitConfig(64, 4, 64 * 1024, 1 << 20, 1 << 20, 100_000, 2))) {
            long last = 0;
            for (int i = 0; i < 10; i++) {
                last = log.append(record(0, i));
            }
            log.awaitDurable(last);
            assertThat(log.fsyncs()).isGreaterThanOrEqualTo(3);
        }
        open(GroupCommitConfig.defaults()).close();
        assertThat(recoveredSeqs).hasSize(10);
    }

    @Test
    void aRecordLargerThanAChunkAndASliceOfAnArrayBothReadBackExactly() throws Exception {
        byte[] large = new byte[GroupCommitLog.CHUNK_BYTES_MAX + 12_345];
        new SplittableRandom(7).nextBytes(large);
        byte[] framed = {1, 2, 3, 4, 5, 6};
        GroupCommitConfig config = new GroupCommitConfig(4 << 20, 4096, 8 << 20, 16 << 20, 64L << 20, 0, 2);
        try (GroupCommitLog log = open(config)) {
            log.append(new byte[] {9});
            log.append(large);
            log.awaitDurable(log.append(framed, 2, 3));
        }
        open(config).close();
        assertThat(recoveredSeqs).containsExactly(1L, 2L, 3L);
        assertThat(recovered.get(0)).containsExactly(9);
        assertThat(recovered.get(1)).isEqualTo(large);
        assertThat(recovered.get(2)).containsExactly(3, 4, 5);
    }

    @Test
    void aWholeRecordAboveALoweredLimitFailsTheOpenInsteadOfBeingCutOff() throws Exception {
        GroupCommitConfig config = new GroupCommitConfig(4096, 64, 1 << 20, 1 << 20, 1 << 20, 0, 2);
        try (GroupCommitLog log = open(config)) {
            log.append(new byte[10]);
            log.append(new byte[4000]);
            log.appendDurably(new byte[10]);
        }
        GroupCommitConfig lowered = new GroupCommitConfig(1024, 64, 1 << 20, 1 << 20, 1 << 20, 0, 2);
        assertThatThrownBy(() -> open(lowered))
                .hasRootCauseMessage("log file " + onlyFile() + " holds record 2 of 4000 bytes, more than recordBytesMax"
                        + " 1024: open the log with the limit it was written with");
        open(config).close();
        assertThat(recoveredSeqs).containsExactly(1L, 2L, 3L);
    }

    @Test
    void appendsBlockOnceTheBuffersAreFullAndGoOnWhenTheDiskCatchesUp() throws Exception {
        // Chunks of 80 bytes (one 64-byte record each) and room for two: while the flusher is held
        // in its callback after the first fsync, a third waiting record must block its appender.
        CountDownLatch flusherHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommitConfig config = new GroupCommitConfig(64, 1, 64, 160, 1 << 20, 0, 2);
        AtomicInteger appended = new AtomicInteger();
        try (GroupCommitLog log = GroupCommitLog.open(dir, config, (seq, payload) -> { }, durable -> {
            flusherHeld.countDown();
            awaitQuietly(release);
        })) {
            try {
                log.append(new byte[64]);
                flusherHeld.await();
                Thread appender = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 3; i++) {
                            log.append(new byte[64]);
                            appended.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                await("two appends find room").atMost(PATIENCE).pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(5)).until(() -> appended.get() >= 2);
                // The third append must block, not merely be late: it stays parked while time
                // passes, which is the point of this wait.
                await("the third append blocks").during(Duration.ofMillis(200)).atMost(PATIENCE)
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                        .until(() -> appended.get() == 2 && appender.getState() == Thread.State.WAITING);
                release.countDown();
                appender.join();
                assertThat(appended.get()).isEqualTo(3);
                log.awaitDurable(4);
            } finally {
                release.countDown(); // a failed assertion must not leave close() waiting on the flusher
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void appendAndClose(GroupCommitConfig config, int records) throws InterruptedException {
        try (GroupCommitLog log = open(config)) {
            for (int i = 0; i < records; i++) {
                log.appendDurably(record(0, i));
            }
        }
    }

    private Path onlyFile() throws IOException {
        List<Path> files = LogFiles.list(dir, "wal-", ".log");
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    private static byte[] record(int writer, int i) {
        return ByteBuffer.allocate(8).putInt(writer).putInt(i).array();
    }
}
