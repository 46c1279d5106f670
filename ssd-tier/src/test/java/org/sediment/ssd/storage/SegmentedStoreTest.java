package org.sediment.ssd.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iq80.leveldb.CompressionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.key.ItemKey;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.TimelineState;
import org.sediment.ssd.timeline.TestUpdates;
import org.sediment.ssd.timeline.TimelineUpdate;
import org.sediment.common.time.ManualClock;
import org.sediment.common.time.RandomSource;

class SegmentedStoreTest {

    static final long DAY = 86_400_000L;
    /**
     * One-day segments, the newest two hot; small buffers so tests exercise flushes; values of
     * 64 B or more in hot segments go to the value log, smaller ones stay inline.
     */
    static final SegmentPolicy DAILY = new SegmentPolicy(DAY, 2, 4096, 65536,
            CompressionType.NONE, CompressionType.SNAPPY, 256 * 1024, 1 << 20, 64, 32);
    static final long NOW = 400 * DAY;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(NOW);

    @Test
    void pagesReadEachTimelineNewestFirstAcrossSegmentsAgreeingWithAModel() {
        long seed = 4242;
        RandomSource random = RandomSource.seeded(seed);
        TreeMap<ItemKey, String> model = new TreeMap<>();
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            long[] applied = new long[5];
            for (int step = 0; step < 3000; step++) {
                int owner = random.nextInt(5);
                ItemKey key = new ItemKey(owner, NOW - random.nextInt(10) * DAY - random.nextInt(1000), random.nextInt(3));
                RowChange change;
                if (random.chance(0.8) || model.isEmpty()) {
                    // Short values stay inline; from 64 B they go to hot segments' value logs.
                    String value = ("v" + step + " ").repeat(1 + random.nextInt(24));
                    change = new RowChange.Put(key, value.getBytes(StandardCharsets.UTF_8));
                    model.put(key, value);
                } else {
                    change = new RowChange.Delete(key);
                    model.remove(key);
                }
                store.apply(List.of(TestUpdates.at(owner, ++applied[owner], List.of(change))));
            }
            for (int owner = 0; owner < 5; owner++) {
                List<String> expected = model.subMap(new ItemKey(owner, ItemKey.MAX_TS, -1), true,
                        new ItemKey(owner, 0, 0), true).values().stream().toList();
                assertThat(readAllPages(store, owner, 1 + random.nextInt(40))).as("seed %d owner %d", seed, owner)
                        .isEqualTo(expected);
                assertThat(store.appliedIndex(owner)).isEqualTo(applied[owner]);
            }
            assertThat(store.segmentNumbers()).hasSizeBetween(9, 10).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        }
    }

    @Test
    void checkpointsRunWhileAppliesRollLevelDbLogsOver() throws Exception {
        // 64 KiB memtables: LevelDB starts a new log and deletes old ones every few dozen
        // applies, so checkpoints keep meeting logs that vanish between listing and fsync.
        SegmentPolicy tiny = new SegmentPolicy(DAY, 2, 4096, 65536, CompressionType.NONE, CompressionType.SNAPPY,
                64 * 1024, 0, Integer.MAX_VALUE, 32); // values inline, so the logs roll over often
        int timelines = 20;
        int applies = 4000;
        byte[] value = new byte[1000];
        try (SegmentedStore store = SegmentedStore.open(dir, tiny, clock)) {
            var checkpointer = java.util.concurrent.Executors.newSingleThreadExecutor();
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            var checkpoints = checkpointer.submit(() -> {
                int count = 0;
                while (!stop.get()) {
                    store.checkpoint();
                    count++;
                }
                return count;
            });
            for (int i = 0; i < applies; i++) {
                int owner = i % timelines;
                store.apply(List.of(TestUpdates.at(owner, i / timelines + 1,
                        List.of(new RowChange.Put(new ItemKey(owner, NOW - i, 0), value)))));
            }
            stop.set(true);
            assertThat(checkpoints.get()).isPositive(); // and none threw
            checkpointer.shutdown();
            store.checkpoint();
        }
        try (SegmentedStore store = SegmentedStore.open(dir, tiny, clock)) {
            for (int owner = 0; owner < timelines; owner++) {
                assertThat(store.checkpointedIndex(owner)).isEqualTo(applies / timelines);
                assertThat(readAllPages(store, owner, 500)).hasSize(applies / timelines);
            }
        }
    }

    @Test
    void checkpointRecordsAppliedIndexesDurablyAndDataSurvivesReopen() {
        ItemKey key = new ItemKey(9, NOW - 5, 0);
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            store.apply(List.of(TestUpdates.at(9, 1, List.of(new RowChange.Put(key, new byte[] {1})))));
            assertThat(store.appliedIndex(9)).isEqualTo(1);
            assertThat(store.checkpointedIndex(9)).isZero();
            assertThat(store.checkpoint()).containsOnlyKeys(9L).extractingByKey(9L).extracting(TimelineState::version).isEqualTo(1L);
            assertThat(store.checkpointedIndex(9)).isEqualTo(1);
            assertThat(store.checkpoint()).isEmpty();
        }
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            assertThat(store.checkpointedIndex(9)).isEqualTo(1);
            assertThat(store.appliedIndex(9)).isEqualTo(1);
            assertThat(store.get(key)).containsExactly(1);
        }
    }

    @Test
    void statesStayCurrentWhileTheInMemoryCacheForgetsAndCheckpointsRun() {
        RandomSource random = RandomSource.seeded(77);
        long[] versions = new long[200];
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock, 16)) {
            for (int step = 0; step < 4000; step++) {
                int timeline = random.nextInt(versions.length);
                store.apply(List.of(new TimelineUpdate(timeline, ++versions[timeline], List.of(), List.of(), List.of(),
                        false)));
                if (random.chance(0.01)) {
                    store.checkpoint();
                }
                int probe = random.nextInt(versions.length);
                assertThat(store.appliedIndex(probe)).as("step %d timeline %d", step, probe).isEqualTo(versions[probe]);
            }
            // Replaying an older update (as log recovery may) never moves a state back.
            store.apply(List.of(TestUpdates.at(3, 1, List.of())));
            assertThat(store.appliedIndex(3)).isEqualTo(versions[3]);
            store.checkpoint();
        }
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock, 16)) {
            for (int timeline = 0; timeline < versions.length; timeline++) {
                assertThat(store.appliedIndex(timeline)).as("timeline %d after reopen", timeline).isEqualTo(versions[timeline]);
            }
        }
    }

    @Test
    void hotSegmentsKeepLargeValuesInTheirValueLogAndASegmentTurnedColdStillReadsThem() throws Exception {
        ItemKey large = new ItemKey(4, NOW + 5, 0);
        ItemKey small = new ItemKey(4, NOW + 4, 0);
        byte[] largeValue = new byte[5_000];
        new java.util.Random(3).nextBytes(largeValue);
        Path valueLog = dir.resolve("segment-400").resolve(ValueLog.FILE_NAME);
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            store.apply(List.of(TestUpdates.at(4, 1, List.of(
                    new RowChange.Put(large, largeValue), new RowChange.Put(small, new byte[] {7})))));
            assertThat(store.get(large)).isEqualTo(largeValue);
            assertThat(store.get(small)).containsExactly(7);
            // Only the large value went to the log: one record, header and value.
            assertThat(Files.size(valueLog)).isEqualTo(ValueLog.HEADER_BYTES + largeValue.length);
            store.checkpoint();
        }
        clock.advanceMillis(5 * DAY); // segment 400 is cold now
        ItemKey later = new ItemKey(4, NOW + 6, 0);
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            assertThat(store.isHot(400)).isFalse();
            assertThat(store.page(4, null, 10)).extracting(StoredItem::value)
                    .containsExactly(largeValue, new byte[] {7});
            store.apply(List.of(TestUpdates.at(4, 2, List.of(
                    new RowChange.Put(later, largeValue)))));
            assertThat(store.get(later)).isEqualTo(largeValue);
            assertThat(Files.size(valueLog)).as("a cold segment keeps new values inline")
                    .isEqualTo(ValueLog.HEADER_BYTES + largeValue.length);
        }
    }

    @Test
    void aTornValueLogTailIsNeverReusedAndADamagedValueIsAnErrorNotWrongData() throws Exception {
        ItemKey first = new ItemKey(5, NOW + 9, 0);
        ItemKey second = new ItemKey(5, NOW + 8, 0);
        byte[] value = "a value long enough for the value log, which starts at 64 bytes".repeat(2)
                .getBytes(StandardCharsets.UTF_8);
        Path valueLog = dir.resolve("segment-400").resolve(ValueLog.FILE_NAME);
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            store.apply(List.of(TestUpdates.at(5, 1, List.of(new RowChange.Put(first, value)))));
        }
        // A crash mid-write leaves part of a record at the end of the file.
        Files.write(valueLog, new byte[] {0, 0, 1, 0, 42}, java.nio.file.StandardOpenOption.APPEND);
        long tornEnd = Files.size(valueLog);
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            store.apply(List.of(TestUpdates.at(5, 2, List.of(new RowChange.Put(second, value)))));
            assertThat(store.get(first)).isEqualTo(value);
            assertThat(store.get(second)).isEqualTo(value);
            assertThat(Files.size(valueLog)).isEqualTo(tornEnd + ValueLog.HEADER_BYTES + value.length);
        }
        // Flip a byte of the first value: reading it fails loudly instead of returning it.
        try (var file = java.nio.channels.FileChannel.open(valueLog, java.nio.file.StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) ~value[10]}), ValueLog.HEADER_BYTES + 10);
        }
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            assertThatThrownBy(() -> store.get(first)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is damaged").hasMessageContaining("checksum mismatch");
            assertThat(store.get(second)).isEqualTo(value);
        }
    }

    @Test
    void aSegmentWrittenBeforeValuesWereTaggedIsRefusedNotMisread() throws Exception {
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            store.apply(List.of(TestUpdates.at(6, 1, List.of(
                    new RowChange.Put(new ItemKey(6, NOW, 0), new byte[] {1})))));
        }
        Files.delete(dir.resolve("segment-400").resolve(Segment.TAGGED_VALUES_MARKER));
        assertThatThrownBy(() -> SegmentedStore.open(dir, DAILY, clock)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("older build");
    }

    @Test
    void everyTableIsOpenWhenASegmentOpensHotOrCold() throws Exception {
        byte[] value = new byte[60]; // inline (under 64 B): enough data for several 2 MiB tables
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            for (int i = 0; i < 60_000; i++) {
                store.apply(List.of(TestUpdates.at(i % 500, 1 + i / 500,
                        List.of(new RowChange.Put(new ItemKey(i % 500, NOW + i, 0), value)))));
            }
            store.compactSegment(400);
            store.checkpoint();
        }
        Path segment = dir.resolve("segment-400");
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            assertThat(tableFiles(segment)).hasSizeGreaterThan(1);
            assertThat(openOrMappedFiles(segment)).containsAll(tableFiles(segment));
        }
        clock.advanceMillis(5 * DAY); // cold: LevelDB maps its tables instead
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            assertThat(store.isHot(400)).isFalse();
            assertThat(openOrMappedFiles(segment)).containsAll(tableFiles(segment));
        }
    }

    static List<String> tableFiles(Path segment) throws java.io.IOException {
        try (var files = Files.list(segment)) {
            return files.map(Path::toString).filter(name -> name.endsWith(".ldb") || name.endsWith(".sst")).toList();
        }
    }

    /** Files of this process open through a descriptor or a memory mapping, from /proc. */
    static java.util.Set<String> openOrMappedFiles(Path under) throws java.io.IOException {
        java.util.Set<String> found = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    found.add(Files.readSymbolicLink(fd).toString());
                } catch (java.io.IOException | UnsupportedOperationException gone) {
                    // closed while listing
                }
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash >= 0) {
                found.add(line.substring(slash));
            }
        }
        String prefix = under.toRealPath().toString();
        found.removeIf(name -> !name.startsWith(prefix));
        return found;
    }

    @Test
    void aStoreRefusesAnotherSegmentLengthThanItWasWrittenWith() {
        SegmentedStore.open(dir, DAILY, clock).close();
        SegmentPolicy weekly = new SegmentPolicy(7 * DAY, 2, 4096, 65536, CompressionType.NONE, CompressionType.SNAPPY,
                256 * 1024, 1 << 20, 64, 32);
        assertThatThrownBy(() -> SegmentedStore.open(dir, weekly, clock)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("segment length cannot change");
        SegmentedStore.open(dir, DAILY, clock).close();
    }

    @Test
    void newestSegmentsAreHotAndOlderOnesCold() {
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            assertThat(store.isHot(400)).isTrue();
            assertThat(store.isHot(399)).isTrue();
            assertThat(store.isHot(398)).isFalse();
        }
    }

    @Test
    void droppingASegmentRemovesItsItemsAndFiles() {
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            ItemKey old = new ItemKey(1, 300 * DAY + 1, 0);
            ItemKey recent = new ItemKey(1, NOW, 0);
            store.apply(List.of(TestUpdates.at(1, 2, List.of(
                    new RowChange.Put(old, new byte[] {1}), new RowChange.Put(recent, new byte[] {2})))));
            store.dropSegment(300);
            assertThat(store.get(old)).isNull();
            assertThat(store.page(1, null, 10)).extracting(StoredItem::key).containsExactly(recent);
            assertThat(Files.exists(dir.resolve("segment-300"))).isFalse();
        }
    }

    @Test
    void rejectsBadPageRequests() {
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY, clock)) {
            assertThatThrownBy(() -> store.page(1, null, 0)).hasMessage("page limit must be ≥ 1, got 0");
            assertThatThrownBy(() -> store.page(1, new ItemKey(2, 5, 0), 3))
                    .hasMessage("cursor 2/5/0 is not in timeline 1");
            assertThatThrownBy(() -> TestUpdates.at(1, 1, List.of(new RowChange.Delete(new ItemKey(2, 1, 0)))))
                    .hasMessage("a change of timeline 2 in an update of timeline 1");
        }
    }

    private static List<String> readAllPages(SegmentedStore store, long owner, int pageSize) {
        List<String> values = new ArrayList<>();
        ItemKey cursor = null;
        while (true) {
            List<StoredItem> page = store.page(owner, cursor, pageSize);
            for (StoredItem item : page) {
                values.add(new String(item.value(), StandardCharsets.UTF_8));
            }
            if (page.size() < pageSize) {
                return values;
            }
            cursor = page.get(page.size() - 1).key();
        }
    }
}
