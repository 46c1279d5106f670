package org.sediment.memory.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.ssd.TimelineItem;

/**
 * Random sequences of puts and gets against a model of what was put: a get answers the last
 * page the cache accepted for its timeline or nothing, never other bytes; every index slot names intact bytes;
 * the files never outgrow the budget; a reopen keeps the pages; torn bytes are dropped.
 */
class PageCacheTest {
    private static final long BUDGET = 4L << 20;

    @TempDir
    Path dir;

    @Test
    void aGetAnswersTheNewestPagePutOrNothingAndEveryIndexSlotNamesIntactBytes() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            Path chains = dir.resolve("seed-" + seed);
            SplittableRandom random = new SplittableRandom(seed);
            Map<Long, CachedPage> newest = new HashMap<>();
            try (PageCache cache = PageCache.open(chains, BUDGET, 1 + random.nextInt(8))) {
                for (int op = 0; op < 3_000; op++) {
                    long timeline = random.nextLong(400);
                    if (random.nextInt(3) == 0) {
                        CachedPage got = cache.get(timeline);
                        if (got != null) {
                            assertThat(got).as("seed %d op %d", seed, op).isEqualTo(newest.get(timeline));
                        }
                    } else {
                        CachedPage previous = newest.get(timeline);
                        long version = previous == null ? random.nextLong(5) : previous.version() + random.nextLong(-1, 3);
                        CachedPage page = page(random, timeline, Math.max(0, version));
                        if (cache.put(page)) { // refused: too large, or an older version than the cached one
                            newest.put(timeline, page);
                        }
                    }
                }
                assertThat(cache.brokenSlots()).as("seed %d", seed).isZero();
                assertThat(cache.evictions()).as("the budget forced evictions").isPositive();
                for (Map.Entry<Long, CachedPage> e : newest.entrySet()) {
                    CachedPage got = cache.get(e.getKey());
                    if (got != null) {
                        assertThat(got).isEqualTo(e.getValue());
                    }
                }
            }
            try (Stream<Path> files = Files.list(chains)) {
                assertThat(files.mapToLong(PageCacheTest::size).sum()).isLessThanOrEqualTo(BUDGET);
            }
        }
    }

    @Test
    void anOlderVersionNeverReplacesANewerPage() {
        try (PageCache cache = PageCache.open(dir, BUDGET, 4)) {
            CachedPage fresh = new CachedPage(7, 5, true, List.of(item(3, 1)));
            assertThat(cache.put(fresh)).isTrue();
            assertThat(cache.put(new CachedPage(7, 4, true, List.of(item(2, 1))))).isFalse();
            assertThat(cache.get(7)).isEqualTo(fresh);
            CachedPage newer = new CachedPage(7, 6, false, List.of(item(4, 1), item(3, 1)));
            assertThat(cache.put(newer)).isTrue();
            assertThat(cache.get(7)).isEqualTo(newer);
        }
    }

    @Test
    void aReopenedCacheKeepsItsPages() {
        SplittableRandom random = new SplittableRandom(11);
        List<CachedPage> pages = new ArrayList<>();
        try (PageCache cache = PageCache.open(dir, BUDGET, 8)) {
            for (long timeline = 0; timeline < 50; timeline++) {
                CachedPage page = page(random, timeline, timeline + 1);
                if (cache.put(page)) {
                    pages.add(page);
                }
            }
        }
        try (PageCache reopened = PageCache.open(dir, BUDGET, 8)) {
            for (CachedPage page : pages) {
                assertThat(reopened.get(page.timeline())).isEqualTo(page);
            }
            assertThat(reopened.tornEntries()).isZero();
        }
    }

    @Test
    void tornBytesAreDroppedAfterARestartNeverServed() throws Exception {
        SplittableRandom random = new SplittableRandom(23);
        Map<Long, CachedPage> pages = new HashMap<>();
        try (PageCache cache = PageCache.open(dir, 1L << 20, 1)) {
            for (long timeline = 0; timeline < 60; timeline++) {
                CachedPage page = page(random, timeline, 1);
                if (cache.put(page)) {
                    pages.put(timeline, page);
                }
            }
        }
        // A crash mid-write leaves some entry half old, half new: scribble over the log in places.
        Path file = dir.resolve("chain-000.pages");
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            long logStart = PageChain.HEADER_BYTES + (1L << 20) / PageChain.LOG_BYTES_PER_SLOT / PageChain.WAYS
                    * PageChain.ROW_BYTES;
            for (int i = 0; i < 40; i++) {
                raw.seek(logStart + random.nextLong(raw.length() - logStart - 16));
                raw.writeLong(random.nextLong());
            }
        }
        try (PageCache reopened = PageCache.open(dir, 1L << 20, 1)) {
            int served = 0;
            for (Map.Entry<Long, CachedPage> e : pages.entrySet()) {
                CachedPage got = reopened.get(e.getKey());
                if (got != null) {
                    assertThat(got).isEqualTo(e.getValue());
                    served++;
                }
            }
            assertThat(reopened.tornEntries()).as("scribbled entries are detected").isPositive();
            assertThat(served).as("the rest is still served").isPositive();
            assertThat(reopened.brokenSlots()).isZero();
        }
    }

    @Test
    void aPageInUseOutlivesTheWrapWhilePagesNobodyReadsAreEvicted() {
        SplittableRandom random = new SplittableRandom(5);
        try (PageCache cache = PageCache.open(dir, 1L << 20, 1)) {
            CachedPage hot = new CachedPage(1, 1, true, List.of(item(1, 1), item(0, 1)));
            cache.put(hot);
            // Small pages: between two reads the log moves far less than half its length.
            for (long timeline = 2; timeline < 2_000; timeline++) {
                cache.put(page(random, timeline, 1, 20));
                if (timeline % 5 == 0) {
                    assertThat(cache.get(1)).as("after %d puts", timeline).isEqualTo(hot);
                }
            }
            assertThat(cache.get(2)).as("written once, long ago").isNull();
            assertThat(cache.evictions()).isPositive();
        }
    }

    private static CachedPage page(SplittableRandom random, long timeline, long version) {
        return page(random, timeline, version, random.nextInt(10) == 0 ? 200 : 20);
    }

    private static CachedPage page(SplittableRandom random, long timeline, long version, int maxItems) {
        int count = random.nextInt(maxItems);
        List<TimelineItem> items = new ArrayList<>();
        long ts = 1_700_000_000_000L + random.nextLong(1_000_000);
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[random.nextInt(1, 1_500)];
            random.nextBytes(value);
            items.add(new TimelineItem(ts - i, random.nextInt(), value));
        }
        return new CachedPage(timeline, version, random.nextBoolean(), items);
    }

    private static TimelineItem item(long ts, int seq) {
        return new TimelineItem(1_700_000_000_000L + ts, seq, new byte[] {(byte) ts});
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
