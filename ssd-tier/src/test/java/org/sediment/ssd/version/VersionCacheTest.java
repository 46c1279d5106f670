package org.sediment.ssd.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.time.RandomSource;

class VersionCacheTest {

    private static final UUID BOOT = new UUID(1, 2);

    @TempDir
    Path dir;

    @Test
    void remembersVersionsAndMissesUnknownTimelines() {
        try (VersionCache cache = VersionCache.open(dir.resolve("v"), 10_000, BOOT)) {
            cache.put(42, 7);
            assertThat(cache.get(42)).isEqualTo(7);
            assertThat(cache.get(43)).isEqualTo(VersionCache.MISSING);
            assertThat(cache.hits()).isEqualTo(1);
            assertThat(cache.misses()).isEqualTo(1);
        }
    }

    @Test
    void neverLowersACachedVersion() {
        try (VersionCache cache = VersionCache.open(dir.resolve("v"), 100, BOOT)) {
            cache.put(1, 9);
            cache.put(1, 4);
            assertThat(cache.get(1)).isEqualTo(9);
            cache.invalidate(1);
            assertThat(cache.get(1)).isEqualTo(VersionCache.MISSING);
            cache.put(1, 4);
            assertThat(cache.get(1)).isEqualTo(4);
        }
    }

    /** One row (capacity = ways) is one LRU chain: compare it with a reference LRU. */
    @Test
    void aRowEvictsItsLeastRecentlyUsedTimeline() {
        long seed = 1121;
        RandomSource random = RandomSource.seeded(seed);
        try (VersionCache cache = VersionCache.open(dir.resolve("v"), VersionCache.WAYS, BOOT)) {
            assertThat(cache.capacity()).isEqualTo(VersionCache.WAYS);
            LinkedHashMap<Long, Long> reference = new LinkedHashMap<>(16, 0.75f, true);
            for (int step = 0; step < 100_000; step++) {
                long timeline = random.nextInt(12);
                if (random.chance(0.5)) {
                    long version = random.nextInt(1000);
                    cache.put(timeline, version);
                    reference.merge(timeline, version, Math::max);
                    reference.get(timeline); // touch: most recently used
                    if (reference.size() > VersionCache.WAYS) {
                        reference.remove(reference.keySet().iterator().next());
                    }
                } else if (random.chance(0.1)) {
                    cache.invalidate(timeline);
                    reference.remove(timeline);
                } else {
                    Long expected = reference.get(timeline);
                    assertThat(cache.get(timeline)).as("seed %d step %d timeline %d", seed, step, timeline)
                            .isEqualTo(expected == null ? VersionCache.MISSING : expected);
                }
            }
        }
    }

    @Test
    void keepsItsContentsAcrossAReopenOnTheSameBoot() {
        Path file = dir.resolve("v");
        try (VersionCache cache = VersionCache.open(file, 100_000, BOOT)) {
            for (long t = 0; t < 50_000; t++) {
                cache.put(t, t + 1);
            }
        }
        try (VersionCache cache = VersionCache.open(file, 100_000, BOOT)) {
            int found = 0;
            for (long t = 0; t < 50_000; t++) {
                long version = cache.get(t);
                if (version != VersionCache.MISSING) {
                    assertThat(version).isEqualTo(t + 1);
                    found++;
                }
            }
            // Rows overflow by chance when half full: most, not all, timelines stay cached.
            assertThat(found).isGreaterThan(45_000);
        }
    }

    @Test
    void startsEmptyAfterAMachineRebootOrOverAnotherStore() {
        Path file = dir.resolve("v");
        UUID boot = new UUID(1, 1);
        UUID store = new UUID(2, 2);
        UUID otherBoot = new UUID(3, 3);
        UUID otherStore = new UUID(4, 4);
        try (VersionCache cache = VersionCache.open(file, 1_000, VersionCache.owner(boot, store))) {
            cache.put(5, 5);
        }
        try (VersionCache cache = VersionCache.open(file, 1_000, VersionCache.owner(boot, store))) {
            assertThat(cache.get(5)).isEqualTo(5);
        }
        try (VersionCache cache = VersionCache.open(file, 1_000, VersionCache.owner(otherBoot, store))) {
            assertThat(cache.get(5)).as("after a reboot").isEqualTo(VersionCache.MISSING);
            cache.put(5, 5);
        }
        try (VersionCache cache = VersionCache.open(file, 1_000, VersionCache.owner(otherBoot, otherStore))) {
            assertThat(cache.get(5)).as("over a replaced store").isEqualTo(VersionCache.MISSING);
        }
    }

    @Test
    void refusesAFileOfAnotherGeometryWithAClearMessage() {
        Path file = dir.resolve("v");
        VersionCache.open(file, 1_000, BOOT).close();
        assertThatThrownBy(() -> VersionCache.open(file, 100_000, BOOT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds 256 rows but 16384 were asked for");
        assertThatThrownBy(() -> VersionCache.open(dir.resolve("w"), 3, BOOT))
                .hasMessage("version cache capacity must be in [7, 2^34], got 3");
    }

    /**
     * Writers raise versions of their own timelines; readers check every answer. Forbidden
     * outcomes: a version never put for that timeline (a torn or mixed-up record), and a version
     * lower than one the same reader already saw (the cache went backwards).
     */
    @Test
    void concurrentReadersNeverSeeTornOrRegressingVersions() throws Exception {
        int timelines = 64; // few rows' worth, so threads collide on rows and locks
        try (VersionCache cache = VersionCache.open(dir.resolve("v"), 64, BOOT)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Map<Long, Long> highestPut = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (long version = 1; version <= 100_000; version++) {
                        long timeline = writer + 2L * (version % (timelines / 2));
                        long encoded = version * 1000 + timeline; // ties a version to its timeline
                        highestPut.merge(timeline, encoded, Math::max);
                        cache.put(timeline, encoded);
                    }
                }));
            }
            for (int r = 0; r < 2; r++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    Map<Long, Long> seen = new HashMap<>();
                    for (int i = 0; i < 200_000 && failure.get() == null; i++) {
                        long timeline = i % timelines;
                        long version = cache.get(timeline);
                        if (version == VersionCache.MISSING) {
                            continue;
                        }
                        if (version % 1000 != timeline) {
                            failure.set(new AssertionError("timeline " + timeline + " returned " + version));
                        }
                        Long before = seen.put(timeline, version);
                        if (before != null && version < before) {
                            failure.set(new AssertionError("timeline " + timeline + " went back from "
                                    + before + " to " + version));
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failure.get()).isNull();
            for (Map.Entry<Long, Long> e : highestPut.entrySet()) {
                long cached = cache.get(e.getKey());
                if (cached != VersionCache.MISSING) {
                    assertThat(cached).isEqualTo(e.getValue());
                }
            }
        }
    }
}
