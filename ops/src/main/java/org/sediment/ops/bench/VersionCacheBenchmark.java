package org.sediment.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sediment.common.time.RandomSource;
import org.sediment.ssd.version.VersionCache;

/**
 * The SSD tier's version cache: a hit, a miss and a put, on a 1 M-timeline mapped file that is
 * three quarters full. Timelines are random so rows are not served from one cache line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VersionCacheBenchmark {

    private static final int KEYS = 1 << 16;

    private Path dir;
    private VersionCache cache;
    private final long[] cached = new long[KEYS];
    private final long[] absent = new long[KEYS];
    private int next;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("version-cache-bench");
        cache = VersionCache.open(dir.resolve("versions"), 1 << 20, UUID.randomUUID());
        RandomSource random = RandomSource.seeded(7);
        for (int i = 0; i < 750_000; i++) {
            cache.put(random.nextLong(), i);
        }
        for (int i = 0; i < KEYS; i++) {
            cached[i] = random.nextLong();
            cache.put(cached[i], i);
            absent[i] = random.nextLong();
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        cache.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long getHit() {
        next = (next + 1) & (KEYS - 1);
        return cache.get(cached[next]);
    }

    @Benchmark
    public long getMiss() {
        next = (next + 1) & (KEYS - 1);
        return cache.get(absent[next]);
    }

    @Benchmark
    public void put() {
        next = (next + 1) & (KEYS - 1);
        cache.put(cached[next], next + 1_000_000L);
    }
}
