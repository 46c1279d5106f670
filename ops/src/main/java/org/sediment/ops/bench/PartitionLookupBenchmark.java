package org.sediment.ops.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sediment.common.block.BlockLayout;
import org.sediment.common.partition.PartitionMap;
import org.sediment.common.time.RandomSource;

/**
 * Routing cost: a ring point to its group (one binary search), and a whole owner to its group
 * (hash to bucket, bucket to ring point, binary search). Points are random so the search is
 * not served by one hot cache line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PartitionLookupBenchmark {

    private static final int POINTS = 1 << 16;

    @Param({"10", "1000"})
    int groups;

    private PartitionMap map;
    private final BlockLayout layout = BlockLayout.defaults();
    private final int[] points = new int[POINTS];
    private final long[] owners = new long[POINTS];
    private int next;

    @Setup
    public void setUp() {
        map = PartitionMap.forGroups(groups);
        RandomSource random = RandomSource.seeded(42);
        for (int i = 0; i < POINTS; i++) {
            points[i] = (int) random.nextLong();
            owners[i] = random.nextLong();
        }
    }

    @Benchmark
    public int ringPointToGroup() {
        next = (next + 1) & (POINTS - 1);
        return map.groupOf(points[next]);
    }

    @Benchmark
    public int ownerToGroup() {
        next = (next + 1) & (POINTS - 1);
        return layout.groupOf(owners[next], map);
    }
}
