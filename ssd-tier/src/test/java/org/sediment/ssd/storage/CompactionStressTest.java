package org.sediment.ssd.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

/**
 * Reads while compaction churns: iq80 LevelDB 0.12 fails such reads intermittently ("Could not
 * open table N") because a compacted-away table can be deleted under a reader. With tiny
 * memtables the writer forces hundreds of flushes and compactions, a compactor thread adds full
 * manual compactions, and two readers check every item they read back. Any exception or wrong
 * value fails. {@code -Dsediment.long=true} writes ten times more.
 */
class CompactionStressTest {

    private static final long DAY = 86_400_000L;
    private static final SegmentPolicy CHURN = new SegmentPolicy(DAY, 2, 4096, 16384,
            CompressionType.NONE, CompressionType.SNAPPY, 64 * 1024, 256 * 1024,
            Integer.MAX_VALUE, 32); // values inline, so LevelDB itself churns

    @TempDir
    Path dir;

    @Test
    void readsNeverFailWhileCompactionRuns() throws Exception {
        int items = Boolean.getBoolean("sediment.long") ? 2_000_000 : 200_000;
        long now = 1000 * DAY;
        ItemKey[] keys = new ItemKey[items];
        RandomSource random = RandomSource.seeded(77);
        for (int i = 0; i < items; i++) {
            keys[i] = new ItemKey(random.nextInt(5000), now - random.nextInt(2) * DAY - random.nextInt(1_000_000), i);
        }
        AtomicInteger written = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        try (SegmentedStore store = SegmentedStore.open(dir, CHURN, new ManualClock(now))) {
            List<Thread> threads = new ArrayList<>();
            threads.add(guarded(failure, () -> {
                for (int i = 0; i < items && failure.get() == null; i += 100) {
                    List<TimelineUpdate> batch = new ArrayList<>();
                    for (int j = i; j < Math.min(items, i + 100); j++) {
                        batch.add(TestUpdates.at(keys[j].owner(), j + 1, List.of(new RowChange.Put(keys[j], valueOf(j)))));
                    }
                    store.apply(batch);
                    written.set(Math.min(items, i + 100));
                }
            }));
            threads.add(guarded(failure, () -> {
                while (written.get() < items && failure.get() == null) {
                    for (long segment : store.segmentNumbers()) {
                        store.compactSegment(segment);
                    }
                }
            }));
            for (int r = 0; r < 2; r++) {
                RandomSource readerRandom = RandomSource.seeded(100 + r);
                threads.add(guarded(failure, () -> {
                    while (written.get() < items && failure.get() == null) {
                        int high = written.get();
                        if (high == 0) {
                            Thread.onSpinWait();
                            continue;
                        }
                        int i = readerRandom.nextInt(high);
                        byte[] value = store.get(keys[i]);
                        if (!Arrays.equals(value, valueOf(i))) {
                            throw new AssertionError("item " + keys[i] + " read back as " + Arrays.toString(value));
                        }
                        List<StoredItem> page = store.page(keys[i].owner(), null, 20);
                        if (page.isEmpty()) {
                            throw new AssertionError("timeline " + keys[i].owner() + " has no items");
                        }
                        reads.incrementAndGet();
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(reads.get()).isPositive();
            for (int i = 0; i < items; i += 997) {
                assertThat(store.get(keys[i])).isEqualTo(valueOf(i));
            }
        }
    }

    private static byte[] valueOf(int i) {
        return ByteBuffer.allocate(64).putInt(i).putInt(~i).array();
    }

    private static Thread guarded(AtomicReference<Throwable> failure, Runnable body) {
        return Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
    }
}
