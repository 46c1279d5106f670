package org.sediment.ssd.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.key.ItemKey;
import org.sediment.common.time.ManualClock;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.TestUpdates;

/**
 * A store keeps at most {@link SegmentPolicy#maxOpenSegments()} segments open however widely
 * writes spread over item time, and reads every item back through segments it closed and
 * reopened.
 */
class BoundedSegmentsTest {

    static final long WEEK = 7 * 86_400_000L;
    static final int WEEKS = 200;
    /** The clock's week: the newest written is the week before, so the writes end among the hot ones. */
    static final long NOW = WEEKS * WEEK + WEEK / 2;
    static final SegmentPolicy WEEKLY_EIGHT_OPEN = SegmentPolicy.weekly().withMaxOpenSegments(8);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(NOW);

    @Test
    void writesOverTwoHundredWeeksKeepAtMostEightSegmentsOpenAndEveryItemReadsBack() {
        int timelines = 3;
        int itemsPerWeek = 4;
        long[] versions = new long[timelines];
        try (SegmentedStore store = SegmentedStore.open(dir, WEEKLY_EIGHT_OPEN, clock)) {
            for (int week = 0; week < WEEKS; week++) {
                for (int t = 0; t < timelines; t++) {
                    List<RowChange> puts = new ArrayList<>();
                    for (int i = 0; i < itemsPerWeek; i++) {
                        ItemKey key = keyOf(t, week, i);
                        puts.add(new RowChange.Put(key, valueOf(key)));
                    }
                    store.apply(List.of(TestUpdates.at(t, ++versions[t], puts)));
                    assertThat(store.openSegmentCount()).as("week %d", week).isLessThanOrEqualTo(8);
                }
                if (week % 10 == 0) {
                    store.checkpoint(); // syncs the dirty segments still open; closed ones were synced as they closed
                }
            }
            assertThat(store.segmentNumbers()).hasSize(WEEKS);
            assertThat(store.mostOpenSegments()).isEqualTo(8);
            assertThat(store.segmentsClosedForRoom()).isGreaterThanOrEqualTo(WEEKS - 8);
            for (int t = 0; t < timelines; t++) {
                assertWholeTimeline(store, t, WEEKS * itemsPerWeek, 7);
            }
            for (int week = 0; week < WEEKS; week += 13) {
                ItemKey key = keyOf(1, week, 2);
                assertThat(store.get(key)).as("week %d", week).isEqualTo(valueOf(key));
            }
            assertThat(store.mostOpenSegments()).as("reading reopened segments").isEqualTo(8);
            assertThat(store.isSegmentOpen(store.segmentNumbers().get(0))).as("the newest week, hot").isTrue();
            store.checkpoint();
        }
        try (SegmentedStore store = SegmentedStore.open(dir, WEEKLY_EIGHT_OPEN, clock)) {
            assertThat(store.openSegmentCount()).as("the newest, opened at the start").isEqualTo(8);
            for (int t = 0; t < timelines; t++) {
                assertThat(store.checkpointedIndex(t)).isEqualTo(versions[t]);
                assertWholeTimeline(store, t, WEEKS * itemsPerWeek, 50);
            }
            assertThat(store.mostOpenSegments()).isEqualTo(8);
        }
    }

    @Test
    void theHotSegmentsStayOpenWhileOlderOnesTakeTurns() {
        long newest = WEEKLY_EIGHT_OPEN.segmentOf(NOW);
        try (SegmentedStore store = SegmentedStore.open(dir, WEEKLY_EIGHT_OPEN, clock)) {
            long version = 0;
            store.apply(List.of(TestUpdates.at(1, ++version, List.of(
                    new RowChange.Put(new ItemKey(1, NOW, 0), new byte[] {1}),
                    new RowChange.Put(new ItemKey(1, NOW - WEEK, 0), new byte[] {2})))));
            for (int week = 0; week < 50; week++) {
                store.apply(List.of(TestUpdates.at(1, ++version, List.of(
                        new RowChange.Put(new ItemKey(1, week * WEEK, 0), new byte[] {3})))));
                assertThat(store.isSegmentOpen(newest)).as("week %d", week).isTrue();
                assertThat(store.isSegmentOpen(newest - 1)).as("week %d", week).isTrue();
            }
            assertThat(store.openSegmentCount()).isEqualTo(8);
            assertThat(store.isSegmentOpen(0)).as("the least recently used").isFalse();
        }
    }

    @Test
    void aDeleteNeitherCreatesNorNeedsAnOpenSegmentAndReachesAClosedOne() {
        try (SegmentedStore store = SegmentedStore.open(dir, WEEKLY_EIGHT_OPEN, clock)) {
            ItemKey old = new ItemKey(2, 3 * WEEK, 0);
            store.apply(List.of(TestUpdates.at(2, 1, List.of(new RowChange.Put(old, new byte[] {1})))));
            for (int week = 10; week < 30; week++) { // closes week 3's segment
                store.apply(List.of(TestUpdates.at(2, week, List.of(
                        new RowChange.Put(new ItemKey(2, week * WEEK, 0), new byte[] {2})))));
            }
            assertThat(store.isSegmentOpen(3)).isFalse();
            store.apply(List.of(TestUpdates.at(2, 30, List.of(
                    new RowChange.Delete(old), new RowChange.Delete(new ItemKey(2, 5 * WEEK, 0))))));
            assertThat(store.get(old)).isNull();
            assertThat(store.segmentNumbers()).contains(3L).doesNotContain(5L);
            assertThat(Files.exists(dir.resolve("segment-5"))).isFalse();
        }
    }

    @Test
    void aDeleteOlderThanSpanningMoreSegmentsThanMayBeOpenRemovesEveryOlderItem() {
        try (SegmentedStore store = SegmentedStore.open(dir, WEEKLY_EIGHT_OPEN, clock)) {
            List<RowChange> puts = new ArrayList<>();
            for (int week = 0; week < 40; week++) {
                ItemKey key = keyOf(4, week, 0);
                puts.add(new RowChange.Put(key, valueOf(key)));
            }
            // One apply: the puts alone span five times the bound, so it writes in turns.
            store.apply(List.of(TestUpdates.at(4, 1, puts),
                    TestUpdates.at(4, 2, List.of(new RowChange.DeleteOlderThan(4, 30 * WEEK)))));
            List<StoredItem> left = store.page(4, null, 100);
            assertThat(left).extracting(item -> item.key().ts() / WEEK)
                    .containsExactlyElementsOf(java.util.stream.LongStream.iterate(39, w -> w >= 30, w -> w - 1).boxed().toList());
            assertThat(store.mostOpenSegments()).isEqualTo(8);
        }
    }

    @Test
    void aReopenedSegmentLoadsEveryTableAgain() throws Exception {
        java.util.Random random = new java.util.Random(20);
        ItemKey probe = new ItemKey(7, 20 * WEEK + 1, 0);
        try (SegmentedStore store = SegmentedStore.open(dir, WEEKLY_EIGHT_OPEN, clock)) {
            for (int i = 0; i < 60_000; i++) { // random values, so even compressed, several tables in week 20's segment
                byte[] value = new byte[60];
                random.nextBytes(value);
                store.apply(List.of(TestUpdates.at(i % 300, 1 + i / 300,
                        List.of(new RowChange.Put(new ItemKey(i % 300, 20 * WEEK + i, 0), value)))));
            }
            store.apply(List.of(TestUpdates.at(7, 1000, List.of(new RowChange.Put(probe, new byte[] {9})))));
            store.compactSegment(20);
            for (int week = 30; week < 40; week++) {
                store.apply(List.of(TestUpdates.at(1, week, List.of(
                        new RowChange.Put(new ItemKey(1, week * WEEK, 0), new byte[] {2})))));
            }
            Path segment = dir.resolve("segment-20");
            assertThat(store.isSegmentOpen(20)).isFalse();
            assertThat(SegmentedStoreTest.openOrMappedFiles(segment)).isEmpty();

            assertThat(store.get(probe)).containsExactly(9);
            assertThat(SegmentedStoreTest.tableFiles(segment)).hasSizeGreaterThan(1);
            assertThat(SegmentedStoreTest.openOrMappedFiles(segment)).containsAll(SegmentedStoreTest.tableFiles(segment));
        }
    }

    @Test
    void segmentsPausedForAPeakCloseAndThoseOpenedMeanwhileStartPaused() throws Exception {
        try (SegmentedStore store = SegmentedStore.open(dir, WEEKLY_EIGHT_OPEN, clock)) {
            store.apply(List.of(TestUpdates.at(3, 1, List.of(new RowChange.Put(new ItemKey(3, 0, 0), new byte[] {1})))));
            store.suspendCompactions();
            // Closes paused segments (without resuming first, LevelDB's close took up to 500 ms
            // each: this test took 10 s instead of 0.3) and opens new ones paused.
            for (int week = 1; week < 30; week++) {
                store.apply(List.of(TestUpdates.at(3, 1 + week, List.of(
                        new RowChange.Put(new ItemKey(3, week * WEEK, 0), new byte[] {2})))));
            }
            store.resumeCompactions();
            assertThat(store.get(new ItemKey(3, 0, 0))).containsExactly(1);
            store.compactSegment(0);
        }
    }

    @Test
    void droppingAClosedSegmentRemovesItWithoutOpeningAnother() {
        try (SegmentedStore store = SegmentedStore.open(dir, WEEKLY_EIGHT_OPEN, clock)) {
            for (int week = 0; week < 20; week++) {
                store.apply(List.of(TestUpdates.at(5, 1 + week, List.of(
                        new RowChange.Put(new ItemKey(5, week * WEEK, 0), new byte[] {1})))));
            }
            assertThat(store.isSegmentOpen(2)).isFalse();
            long closedBefore = store.segmentsClosedForRoom();
            store.dropSegment(2);
            assertThat(store.segmentsClosedForRoom()).isEqualTo(closedBefore);
            assertThat(store.segmentNumbers()).hasSize(19).doesNotContain(2L);
            assertThat(Files.exists(dir.resolve("segment-2"))).isFalse();
            assertThat(store.get(new ItemKey(5, 2 * WEEK, 0))).isNull();
            assertThat(store.page(5, null, 100)).hasSize(19);
        }
    }

    static ItemKey keyOf(long timeline, long week, int i) {
        return new ItemKey(timeline, week * WEEK + 1000 * i + timeline, i);
    }

    static byte[] valueOf(ItemKey key) {
        // 200 bytes: large enough for the hot segments' value log
        return ByteBuffer.allocate(200).putLong(key.owner()).putLong(key.ts()).putInt(key.seq()).array();
    }

    /** Pages through the whole timeline: {@code count} items, newest first, each with its value. */
    private static void assertWholeTimeline(SegmentedStore store, long timeline, int count, int pageSize) {
        List<StoredItem> all = new ArrayList<>();
        ItemKey cursor = null;
        List<StoredItem> page;
        do {
            page = store.page(timeline, cursor, pageSize);
            all.addAll(page);
            cursor = page.isEmpty() ? cursor : page.get(page.size() - 1).key();
        } while (page.size() == pageSize);
        assertThat(all).as("timeline %d", timeline).hasSize(count);
        for (int i = 0; i < all.size(); i++) {
            StoredItem item = all.get(i);
            assertThat(item.value()).as("timeline %d item %s", timeline, item.key()).isEqualTo(valueOf(item.key()));
            if (i > 0) {
                assertThat(item.key().ts()).isLessThan(all.get(i - 1).key().ts());
            }
        }
    }
}
