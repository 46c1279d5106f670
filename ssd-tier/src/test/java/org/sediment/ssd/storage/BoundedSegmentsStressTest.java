package org.sediment.ssd.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.iq80.leveldb.CompressionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.key.ItemKey;
import org.sediment.common.time.ManualClock;
import org.sediment.common.time.RandomSource;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.TestUpdates;
import org.sediment.ssd.timeline.TimelineUpdate;

/**
 * Segments closing and reopening under readers, the writer, checkpoints and compactions. At most
 * six of 25 daily segments may be open (two of them hot), so nearly every use of an older segment
 * closes another. The apply thread writes batches that each span many segments; a checkpointer
 * syncs dirty segments; a compactor compacts random segments; three readers page whole random
 * timelines, get random items and read a state with its newest item.
 *
 * <p>Forbidden outcomes: any exception in any thread (a read of a closed LevelDB, a table or value
 * log gone under a reader); a read that misses an item published before the read began, or finds
 * a wrong value or a wrong order; more than six segments open at any moment; a checkpointed item
 * missing after the store reopens. {@code -Dsediment.long=true} writes ten times more.
 */
class BoundedSegmentsStressTest {

    private static final long DAY = 86_400_000L;
    private static final int DAYS = 24;
    private static final int MAX_OPEN = 6;
    private static final SegmentPolicy DAILY_SIX_OPEN = new SegmentPolicy(DAY, 2, 4096, 16384,
            CompressionType.NONE, CompressionType.SNAPPY, 64 * 1024, 256 * 1024, 64, MAX_OPEN);
    private static final int TIMELINES = 16;
    private static final int UPDATES_PER_APPLY = 12;
    private static final int PUTS_PER_UPDATE = 2;

    @TempDir
    Path dir;

    @Test
    void readersNeverFailOrMissDataWhileSegmentsCloseAndReopenUnderThem() throws Exception {
        long seed = 2026;
        int applies = Boolean.getBoolean("sediment.long") ? 800 : 80;
        ManualClock clock = new ManualClock(DAYS * DAY + DAY / 2);
        ItemKey[] keys = new ItemKey[applies * UPDATES_PER_APPLY * PUTS_PER_UPDATE];
        AtomicInteger published = new AtomicInteger(); // keys[0, published) are applied
        AtomicIntegerArray itemsOf = new AtomicIntegerArray(TIMELINES); // items applied, per timeline
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger pagesRead = new AtomicInteger();
        AtomicInteger checkpoints = new AtomicInteger();
        long[] versions = new long[TIMELINES];
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY_SIX_OPEN, clock)) {
            List<Thread> threads = new ArrayList<>();
            RandomSource writerRandom = RandomSource.seeded(seed);
            threads.add(guarded(failure, done, () -> {
                int n = 0;
                for (int a = 0; a < applies && failure.get() == null; a++) {
                    List<TimelineUpdate> batch = new ArrayList<>();
                    int[] added = new int[TIMELINES];
                    for (int u = 0; u < UPDATES_PER_APPLY; u++) {
                        int t = writerRandom.nextInt(TIMELINES);
                        List<RowChange> puts = new ArrayList<>();
                        for (int p = 0; p < PUTS_PER_UPDATE; p++) {
                            ItemKey key = new ItemKey(t, writerRandom.nextInt(DAYS + 1) * DAY + n, 0);
                            keys[n++] = key;
                            puts.add(new RowChange.Put(key, valueOf(key)));
                        }
                        batch.add(TestUpdates.at(t, ++versions[t], puts));
                        added[t] += PUTS_PER_UPDATE;
                    }
                    store.apply(batch);
                    for (int t = 0; t < TIMELINES; t++) {
                        itemsOf.addAndGet(t, added[t]);
                    }
                    published.set(n);
                }
            }));
            threads.add(guarded(failure, done, () -> {
                for (int seen = 0; !done.get(); seen = awaitApplies(published, seen, done)) {
                    store.checkpoint();
                    checkpoints.incrementAndGet();
                }
            }));
            RandomSource compactorRandom = RandomSource.seeded(seed + 1);
            threads.add(guarded(failure, done, () -> {
                for (int seen = 0; !done.get(); seen = awaitApplies(published, seen, done)) {
                    List<Long> numbers = store.segmentNumbers();
                    if (!numbers.isEmpty()) {
                        store.compactSegment(numbers.get(compactorRandom.nextInt(numbers.size())));
                    }
                }
            }));
            for (int r = 0; r < 3; r++) {
                RandomSource readerRandom = RandomSource.seeded(seed + 10 + r);
                threads.add(guarded(failure, done, () -> {
                    while (!done.get()) {
                        readOnce(store, readerRandom, keys, published, itemsOf);
                        pagesRead.incrementAndGet();
                    }
                }));
            }
            threads.get(0).join(); // the writer
            done.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failure.get()).as("seed %d", seed).isNull();
            assertThat(pagesRead.get()).isPositive();
            assertThat(checkpoints.get()).isPositive();
            assertThat(store.mostOpenSegments()).isLessThanOrEqualTo(MAX_OPEN);
            assertThat(store.segmentsClosedForRoom()).isGreaterThan(DAYS);
            System.out.printf("%d applies, %d reads, %d checkpoints; segments closed for room %d, open at most %d%n",
                    applies, pagesRead.get(), checkpoints.get(), store.segmentsClosedForRoom(), store.mostOpenSegments());
            store.checkpoint();
        }
        try (SegmentedStore store = SegmentedStore.open(dir, DAILY_SIX_OPEN, clock)) {
            for (int t = 0; t < TIMELINES; t++) {
                assertThat(store.checkpointedIndex(t)).isEqualTo(versions[t]);
                assertThat(wholeTimeline(store, t, 200)).as("timeline %d", t).hasSize(itemsOf.get(t));
            }
            for (int i = 0; i < keys.length; i += 101) {
                assertThat(store.get(keys[i])).isEqualTo(valueOf(keys[i]));
            }
        }
    }

    /** One reader's round: a whole timeline, an item, and a state read with its newest item. */
    private static void readOnce(SegmentedStore store, RandomSource random, ItemKey[] keys, AtomicInteger published,
                                 AtomicIntegerArray itemsOf) {
        int t = random.nextInt(TIMELINES);
        int atLeast = itemsOf.get(t);
        List<StoredItem> items = wholeTimeline(store, t, 10 + random.nextInt(60));
        if (items.size() < atLeast) {
            throw new AssertionError("timeline " + t + ": " + items.size() + " items read, " + atLeast + " applied before");
        }
        for (int i = 0; i < items.size(); i++) {
            StoredItem item = items.get(i);
            if (!Arrays.equals(item.value(), valueOf(item.key()))) {
                throw new AssertionError("item " + item.key() + " read as " + Arrays.toString(item.value()));
            }
            if (i > 0 && item.key().ts() >= items.get(i - 1).key().ts()) {
                throw new AssertionError("timeline " + t + ": " + item.key() + " after " + items.get(i - 1).key());
            }
        }
        int high = published.get();
        if (high > 0) {
            ItemKey key = keys[random.nextInt(high)];
            byte[] value = store.get(key);
            if (!Arrays.equals(value, valueOf(key))) {
                throw new AssertionError("item " + key + " read as " + Arrays.toString(value));
            }
        }
        // Every applied version of a timeline added items: a state above 0 comes with a newest item.
        boolean consistent = store.consistentRead(() ->
                store.state(t).version() == 0 || !store.page(t, null, 1).isEmpty());
        if (!consistent) {
            throw new AssertionError("timeline " + t + " has a state but no items");
        }
    }

    /** Paces a background thread to the writer: returns once more items are published than {@code seen}. */
    private static int awaitApplies(AtomicInteger published, int seen, AtomicBoolean done) {
        while (published.get() == seen && !done.get()) {
            LockSupport.parkNanos(100_000);
        }
        return published.get();
    }

    private static List<StoredItem> wholeTimeline(SegmentedStore store, long timeline, int pageSize) {
        List<StoredItem> all = new ArrayList<>();
        ItemKey cursor = null;
        List<StoredItem> page;
        do {
            page = store.page(timeline, cursor, pageSize);
            all.addAll(page);
            if (!page.isEmpty()) {
                cursor = page.get(page.size() - 1).key();
            }
        } while (page.size() == pageSize);
        return all;
    }

    private static byte[] valueOf(ItemKey key) {
        // 96 bytes: hot segments keep it in their value log, older ones inline
        return ByteBuffer.allocate(96).putLong(key.owner()).putLong(key.ts()).putLong(~key.ts()).array();
    }

    private static Thread guarded(AtomicReference<Throwable> failure, AtomicBoolean done, Runnable body) {
        return Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                done.set(true);
            }
        });
    }
}
